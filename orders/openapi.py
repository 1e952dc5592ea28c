"""OpenAPI description of the orders endpoints (kept out of the views to keep them short)."""

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers

from orders.serializers import OrderCreateSerializer, OrderSerializer, OrderStatusSerializer
from webstore.api.openapi import (
    BODY_ERRORS,
    IDEMPOTENCY_ERRORS,
    IDEMPOTENCY_IN_FLIGHT_EXAMPLE,
    IDEMPOTENCY_KEY_PARAMETER,
    LINK_HEADER,
    QUERY_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    error_response,
    example,
)

ORDER_NOT_FOUND = {
    404: error_response(
        "No order has this id.",
        example("Not found", {"detail": "Order with ID 999 not found"}, status_code=404),
        message_only=True,
    )
}
INVALID_TRANSITION_EXAMPLE = example(
    "Invalid transition",
    {
        "detail": {
            "error": "Invalid status transition",
            "current_status": "SHIPPED",
            "requested_status": "PAID",
            "message": "Cannot transition from SHIPPED to PAID",
        }
    },
    status_code=400,
)
InsufficientStockSerializer = inline_serializer(
    "InsufficientStockError",
    fields={
        "detail": inline_serializer(
            "InsufficientStockDetail",
            fields={
                "error": serializers.CharField(),
                "requested": serializers.IntegerField(),
                "available": serializers.IntegerField(),
                "product_id": serializers.IntegerField(),
            },
        )
    },
)
PLACE_ERRORS = {
    **BODY_ERRORS,
    404: error_response(
        "The product does not exist or is archived.",
        example("Product not found", {"detail": "Product with ID 999 not found"}, status_code=404),
        message_only=True,
    ),
    409: OpenApiResponse(
        response=InsufficientStockSerializer,
        description='Not enough stock; nothing was reserved. (Also 409 `{"detail": "..."}` '
        "while a request with the same Idempotency-Key is still running.)",
    ),
    **IDEMPOTENCY_ERRORS,
    **WRITE_ERRORS,
}
STATUS_DESCRIPTION = (
    "Only `status` may be sent. Allowed: PENDING → PAID | CANCELED, PAID → SHIPPED | CANCELED; "
    "SHIPPED and CANCELED are final. Sending the current status is a no-op. Moving to CANCELED "
    "returns the units to stock, exactly like DELETE."
)
STATUS_ERRORS = {
    **BODY_ERRORS,
    400: error_response(
        "Invalid body, or a transition the status machine forbids.",
        INVALID_TRANSITION_EXAMPLE,
        example(
            "Other field", {"detail": {"quantity": ["This field is read-only."]}}, status_code=400
        ),
    ),
    **ORDER_NOT_FOUND,
    **WRITE_ERRORS,
}
STATUS_EXAMPLE = example("Mark paid", {"status": "PAID"}, request=True)

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
        description="Locks the product, checks and reserves its stock, and creates a PENDING order "
        "at the current price, all in one transaction: stock is never oversold.",
        request=OrderCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        examples=[
            example("One laptop", {"product_id": 1, "quantity": 2}, request=True),
            example(
                "Insufficient stock",
                {
                    "detail": {
                        "error": "Insufficient stock",
                        "requested": 10,
                        "available": 5,
                        "product_id": 1,
                    }
                },
                status_code=409,
            ),
            IDEMPOTENCY_IN_FLIGHT_EXAMPLE,
        ],
        responses={201: OrderSerializer, **PLACE_ERRORS},
    ),
    retrieve=extend_schema(
        tags=["orders"],
        summary="Get an order",
        responses={200: OrderSerializer, **ORDER_NOT_FOUND, **READ_ERRORS},
    ),
    update=extend_schema(
        tags=["orders"],
        summary="Change an order's status",
        description=STATUS_DESCRIPTION,
        request=OrderStatusSerializer,
        examples=[STATUS_EXAMPLE],
        responses={200: OrderSerializer, **STATUS_ERRORS},
    ),
    partial_update=extend_schema(
        tags=["orders"],
        summary="Change an order's status (PATCH)",
        description=STATUS_DESCRIPTION,
        request=OrderStatusSerializer,
        examples=[STATUS_EXAMPLE],
        responses={200: OrderSerializer, **STATUS_ERRORS},
    ),
    destroy=extend_schema(
        tags=["orders"],
        summary="Cancel an order",
        description="Sets the status to CANCELED and returns the units to stock. SHIPPED and "
        "CANCELED orders cannot be canceled.",
        responses={
            204: None,
            400: error_response(
                "The order is SHIPPED or already CANCELED.",
                example(
                    "Shipped",
                    {
                        "detail": {
                            "error": "Order cannot be canceled",
                            "current_status": "SHIPPED",
                            "message": "Orders with status SHIPPED cannot be canceled",
                        }
                    },
                    status_code=400,
                ),
            ),
            **ORDER_NOT_FOUND,
            **WRITE_ERRORS,
        },
    ),
)
