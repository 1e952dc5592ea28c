"""OpenAPI description of the orders endpoints (kept out of the views to keep them short)."""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework.exceptions import ValidationError

from inventory.exceptions import InsufficientStock, ProductNotFound
from orders.exceptions import InvalidStatusTransition, OrderNotCancelable, OrderNotFound
from orders.serializers import (
    MAX_ORDER_ITEMS,
    OrderCartSerializer,
    OrderCreateSerializer,
    OrderLineSerializer,
    OrderSerializer,
    OrderStatusSerializer,
)
from webstore.access.openapi import READ_ERRORS, WRITE_ERRORS
from webstore.api.openapi import (
    LINK_HEADER,
    QUERY_ERRORS,
    ErrorExample,
    body_errors,
    error_response,
    request_example,
    validation_error,
)
from webstore.idempotency.openapi import (
    IDEMPOTENCY_ERRORS,
    IDEMPOTENCY_IN_FLIGHT_EXAMPLE,
    IDEMPOTENCY_KEY_PARAMETER,
)

ORDER_NOT_FOUND = error_response(
    "No order has this id.", ErrorExample(OrderNotFound(999), "Not found")
)

# The body is one of the two forms, told apart by `items` (each form refuses the other's keys).
ORDER_CREATE_REQUEST = PolymorphicProxySerializer(
    component_name="OrderCreate",
    serializers=[OrderLineSerializer, OrderCartSerializer],
    resource_type_field_name=None,
)
PLACE_DESCRIPTION = (
    "Places one order: `{product_id, quantity}` (one product, the original form) or "
    f"`{{items: [...]}}`, a cart of 1 to {MAX_ORDER_ITEMS} items, each product at most once. "
    "Locks the products in ascending id order, checks every item, reserves every stock and "
    "creates a PENDING order at the current prices, all in one transaction: all or nothing, "
    "never oversold. The answer lists the items in the order sent; `product_id` and "
    "`unit_price` are null for an order of several items."
)


def _invalid_body(data) -> ValidationError:
    return validation_error(OrderCreateSerializer(data=data))


PLACE_ERRORS = {
    **body_errors(
        ErrorExample(_invalid_body({"product_id": 1, "quantity": 0}), "Validation error"),
        ErrorExample(
            _invalid_body({"product_id": 1, "quantity": 1, "items": []}), "Both forms at once"
        ),
        ErrorExample(_invalid_body({"items": []}), "Empty cart"),
        ErrorExample(
            _invalid_body({"items": [{"product_id": 1, "quantity": 2}, {"product_id": 5}]}),
            "Bad item",
        ),
        ErrorExample(
            _invalid_body(
                {"items": [{"product_id": 1, "quantity": 2}, {"product_id": 1, "quantity": 1}]}
            ),
            "Same product twice",
        ),
        description="Invalid body: malformed JSON, wrong types, out-of-range values, unknown or "
        "read-only fields; for a cart, both forms at once, no items or more than "
        f"{MAX_ORDER_ITEMS}, a product twice, or a bad item (under `detail.items`, by index).",
    ),
    **error_response(
        "The product (in a cart: the lowest such id) does not exist or is archived; nothing was "
        "reserved.",
        ErrorExample(ProductNotFound(999), "Product not found"),
    ),
    **error_response(
        "Not enough stock (in a cart: for the lowest such product id); nothing was reserved. "
        "Or a request with the same Idempotency-Key is still running.",
        ErrorExample(InsufficientStock(product_id=1, requested=10, available=5)),
        IDEMPOTENCY_IN_FLIGHT_EXAMPLE,
    ),
    **IDEMPOTENCY_ERRORS,
    **WRITE_ERRORS,
}
STATUS_CHANGE_DESCRIPTION = (
    "Only `status` may be sent. Allowed: PENDING → PAID | CANCELED, PAID → SHIPPED | CANCELED; "
    "SHIPPED and CANCELED are final. Sending the current status is a no-op. Moving to CANCELED "
    "returns every item's units to stock, exactly like DELETE."
)
STATUS_CHANGE_ERRORS = {
    **body_errors(
        ErrorExample(
            InvalidStatusTransition(current_status="SHIPPED", requested_status="PAID"),
            "Invalid transition",
        ),
        ErrorExample(
            validation_error(OrderStatusSerializer(data={"status": "PAID", "quantity": 3})),
            "Other field",
        ),
        description="Invalid body, or a transition the status machine forbids.",
    ),
    **ORDER_NOT_FOUND,
    **WRITE_ERRORS,
}
# PUT and PATCH alike.
STATUS_CHANGE = {
    "tags": ["orders"],
    "description": STATUS_CHANGE_DESCRIPTION,
    "request": OrderStatusSerializer,
    "examples": [request_example("Mark paid", {"status": "PAID"})],
    "responses": {200: OrderSerializer, **STATUS_CHANGE_ERRORS},
}

order_schema = extend_schema_view(
    list=extend_schema(
        tags=["orders"],
        summary="List orders",
        description="Orders in id order, filtered and windowed by `skip`/`limit` or by the "
        "`cursor` of the previous page's `Link` header. The body is a bare JSON array.",
        parameters=[LINK_HEADER],
        responses={200: OrderSerializer(many=True), **QUERY_ERRORS, **READ_ERRORS},
    ),
    create=extend_schema(
        tags=["orders"],
        summary="Place an order",
        description=PLACE_DESCRIPTION,
        request=ORDER_CREATE_REQUEST,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        examples=[
            request_example("One laptop", {"product_id": 1, "quantity": 2}),
            request_example(
                "A cart",
                {"items": [{"product_id": 1, "quantity": 2}, {"product_id": 5, "quantity": 1}]},
            ),
        ],
        responses={201: OrderSerializer, **PLACE_ERRORS},
    ),
    retrieve=extend_schema(
        tags=["orders"],
        summary="Get an order",
        responses={200: OrderSerializer, **ORDER_NOT_FOUND, **READ_ERRORS},
    ),
    update=extend_schema(summary="Change an order's status", **STATUS_CHANGE),
    partial_update=extend_schema(summary="Change an order's status (PATCH)", **STATUS_CHANGE),
    destroy=extend_schema(
        tags=["orders"],
        summary="Cancel an order",
        description="Sets the status to CANCELED and returns every item's units to stock. SHIPPED "
        "and CANCELED orders cannot be canceled.",
        responses={
            204: None,
            **error_response(
                "The order is SHIPPED or already CANCELED.",
                ErrorExample(OrderNotCancelable(order_id=1, current_status="SHIPPED"), "Shipped"),
            ),
            **ORDER_NOT_FOUND,
            **WRITE_ERRORS,
        },
    ),
)
