"""OpenAPI description of the products endpoints (kept out of the views to keep them short)."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema, extend_schema_view

from inventory.exceptions import (
    BulkProductsNotFound,
    BulkSkuConflict,
    ProductChanged,
    ProductNotFound,
    SkuConflict,
)
from inventory.serializers import (
    ProductBulkUpdateSerializer,
    ProductSerializer,
    product_bulk_create_serializer,
)
from webstore.access.openapi import READ_ERRORS, WRITE_ERRORS
from webstore.api.fields import MAX_BULK_ITEMS
from webstore.api.openapi import (
    BODY_LIMITS,
    ETAG_HEADER,
    IF_MATCH_PARAMETER,
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


class PriceFieldExtension(OpenApiSerializerFieldExtension):
    """Prices as the serializer accepts them: > 0, two decimal places, under 10^8.

    `multipleOf` is stated for requests only: validators check it by float division, which
    calls 19.99 not a multiple of 0.01, so responses would fail their own schema.
    """

    target_class = "inventory.serializers.PriceField"

    def map_serializer_field(self, auto_schema, direction):
        schema = {
            "type": "number",
            "format": "double",
            "minimum": 0,
            "exclusiveMinimum": True,
            "maximum": 99999999.99,
        }
        if direction == "request":
            schema["multipleOf"] = 0.01
        return schema


NEW_PRODUCT = {"sku": "PROD-001", "name": "Laptop", "price": 999.99, "stock": 50}
NOT_FOUND = error_response(
    "No live product has this id (never existed, or archived).",
    ErrorExample(ProductNotFound(999), "Not found"),
)
DUPLICATE_SKU_EXAMPLE = ErrorExample(SkuConflict("PROD-001"), "Duplicate SKU")
SKU_CONFLICT = error_response("Another live product already uses this SKU.", DUPLICATE_SKU_EXAMPLE)
BODY_ERRORS = body_errors(
    ErrorExample(
        validation_error(ProductSerializer(data={**NEW_PRODUCT, "price": "999.999"})),
        "Validation error",
    ),
)
CREATE_EXAMPLE = request_example("New product", NEW_PRODUCT)
UPDATE_EXAMPLE = request_example("Reprice and restock", {"price": 899.99, "stock": 45})
UPDATE_DESCRIPTION = (
    "Partial update: only the fields sent change (PUT and PATCH behave alike). A new `stock` "
    "is recorded in the stock ledger as an adjustment. Send the `ETag` of your last read in "
    "`If-Match` to update only if nobody changed the product since (412 otherwise)."
)
CHANGED = error_response(
    "`If-Match` does not match the product's current ETag: it changed since you read it.",
    ErrorExample(ProductChanged(1), "Stale ETag"),
)
# PUT and PATCH alike.
UPDATE = {
    "tags": ["products"],
    "description": UPDATE_DESCRIPTION,
    # PUT is partial too (SPEC): only the fields sent change, none is required.
    "request": ProductSerializer(partial=True),
    "parameters": [IF_MATCH_PARAMETER, ETAG_HEADER],
    "examples": [UPDATE_EXAMPLE],
    "responses": {
        200: ProductSerializer,
        **BODY_ERRORS,
        **NOT_FOUND,
        **SKU_CONFLICT,
        **CHANGED,
        **WRITE_ERRORS,
    },
}

product_schema = extend_schema_view(
    list=extend_schema(
        tags=["products"],
        summary="List products",
        description="Live products in id order, filtered and windowed by `skip`/`limit` or by "
        "the `cursor` of the previous page's `Link` header. The body is a bare JSON array.",
        parameters=[LINK_HEADER],
        responses={200: ProductSerializer(many=True), **QUERY_ERRORS, **READ_ERRORS},
    ),
    create=extend_schema(
        tags=["products"],
        summary="Create a product",
        request=ProductSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        examples=[CREATE_EXAMPLE],
        responses={
            201: ProductSerializer,
            **BODY_ERRORS,
            **error_response(
                "Another live product already uses this SKU, or a request with the same "
                "Idempotency-Key is still running.",
                DUPLICATE_SKU_EXAMPLE,
                IDEMPOTENCY_IN_FLIGHT_EXAMPLE,
            ),
            **IDEMPOTENCY_ERRORS,
            **WRITE_ERRORS,
        },
    ),
    retrieve=extend_schema(
        tags=["products"],
        summary="Get a product",
        parameters=[ETAG_HEADER],
        responses={200: ProductSerializer, **NOT_FOUND, **READ_ERRORS},
    ),
    update=extend_schema(summary="Update a product", **UPDATE),
    partial_update=extend_schema(summary="Update a product (PATCH)", **UPDATE),
    destroy=extend_schema(
        tags=["products"],
        summary="Delete (archive) a product",
        description="Archives the product: it leaves the API and its SKU becomes free; existing "
        "orders keep pointing at it. Staff can restore it in the admin.",
        responses={204: None, **NOT_FOUND, **WRITE_ERRORS},
    ),
)

BULK_NOTE = (
    f"All or nothing: 1 to {MAX_BULK_ITEMS} items in one transaction. Errors name the failing "
    "items by their index in the request. Only POST and PATCH exist on this path (GET, PUT, "
    "DELETE → 405)."
)
INVALID_ITEMS = "Invalid items, by index (or a body that is not a list)."
product_bulk_create_schema = extend_schema(
    tags=["products"],
    summary="Create many products",
    description=f"Creates every product or none; each starts its stock ledger. {BULK_NOTE}",
    request=product_bulk_create_serializer(),
    examples=[
        request_example(
            "Two products",
            [NEW_PRODUCT, {"sku": "PROD-002", "name": "Mouse", "price": 19.99, "stock": 200}],
        ),
    ],
    responses={
        201: ProductSerializer(many=True),
        **error_response(
            INVALID_ITEMS,
            ErrorExample(
                validation_error(
                    product_bulk_create_serializer(
                        data=[
                            NEW_PRODUCT,
                            {**NEW_PRODUCT, "price": "999.999"},
                            {"name": "Mouse", "price": 19.99},
                        ]
                    )
                ),
                "Invalid items",
            ),
        ),
        **error_response(
            "SKUs already taken (or repeated in this request), by index.",
            ErrorExample(
                BulkSkuConflict({0: SkuConflict("PROD-001"), 3: SkuConflict("PROD-009")}),
                "SKU conflicts",
            ),
        ),
        **BODY_LIMITS,
        **WRITE_ERRORS,
    },
)
product_bulk_update_schema = extend_schema(
    tags=["products"],
    summary="Update many products (PATCH)",
    description="Partial updates by `id`, applied in order: only the fields sent change. Stock "
    f"changes are recorded in the stock ledger as adjustments. An id may appear once. {BULK_NOTE}",
    request=ProductBulkUpdateSerializer(),
    examples=[
        request_example(
            "Reprice one, restock another", [{"id": 1, "price": 899.99}, {"id": 2, "stock": 250}]
        ),
    ],
    responses={
        200: ProductSerializer(many=True),
        **error_response(
            INVALID_ITEMS,
            ErrorExample(
                validation_error(
                    ProductBulkUpdateSerializer(data=[{"id": 1, "stock": 5}, {"id": 1}])
                ),
                "Repeated id",
            ),
        ),
        **error_response(
            "Items naming missing or archived products, by index.",
            ErrorExample(BulkProductsNotFound({1: ProductNotFound(999)}), "Unknown ids"),
        ),
        **error_response(
            "SKUs already taken by other live products, by index.",
            ErrorExample(BulkSkuConflict({1: SkuConflict("PROD-002")}), "SKU conflicts"),
        ),
        **BODY_LIMITS,
        **WRITE_ERRORS,
    },
)
