"""OpenAPI description of the products endpoints (kept out of the views to keep them short)."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema, extend_schema_view

from inventory.serializers import ProductBulkUpdateItemSerializer, ProductSerializer
from webstore.api.fields import MAX_BULK_ITEMS
from webstore.api.openapi import (
    BODY_ERRORS,
    ETAG_HEADER,
    IDEMPOTENCY_ERRORS,
    IDEMPOTENCY_IN_FLIGHT_EXAMPLE,
    IDEMPOTENCY_KEY_PARAMETER,
    IF_MATCH_PARAMETER,
    LINK_HEADER,
    QUERY_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    error_response,
    example,
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


NOT_FOUND = {
    404: error_response(
        "No live product has this id (never existed, or archived).",
        example("Not found", {"detail": "Product with ID 999 not found"}, status_code=404),
        message_only=True,
    )
}
SKU_CONFLICT = {
    409: error_response(
        "Another live product already uses this SKU.",
        example(
            "Duplicate SKU",
            {"detail": "Product with SKU 'PROD-001' already exists"},
            status_code=409,
        ),
        message_only=True,
    )
}
CREATE_EXAMPLE = example(
    "New product", {"sku": "PROD-001", "name": "Laptop", "price": 999.99, "stock": 50}, request=True
)
UPDATE_EXAMPLE = example("Reprice and restock", {"price": 899.99, "stock": 45}, request=True)
UPDATE_DESCRIPTION = (
    "Partial update: only the fields sent change (PUT and PATCH behave alike). A new `stock` "
    "is recorded in the stock ledger as an adjustment. Send the `ETag` of your last read in "
    "`If-Match` to update only if nobody changed the product since (412 otherwise)."
)
CHANGED = {
    412: error_response(
        "`If-Match` does not match the product's current ETag: it changed since you read it.",
        example(
            "Stale ETag",
            {
                "detail": "Product with ID 1 has changed since it was read (If-Match does not "
                "match its ETag); read it again and retry."
            },
            status_code=412,
        ),
        message_only=True,
    )
}
UPDATE_RESPONSES = {
    200: ProductSerializer,
    **BODY_ERRORS,
    **NOT_FOUND,
    **SKU_CONFLICT,
    **CHANGED,
    **WRITE_ERRORS,
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
            409: error_response(
                "Another live product already uses this SKU, or a request with the same "
                "Idempotency-Key is still running.",
                example(
                    "Duplicate SKU",
                    {"detail": "Product with SKU 'PROD-001' already exists"},
                    status_code=409,
                ),
                IDEMPOTENCY_IN_FLIGHT_EXAMPLE,
                message_only=True,
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
    update=extend_schema(
        tags=["products"],
        summary="Update a product",
        description=UPDATE_DESCRIPTION,
        request=ProductSerializer,
        parameters=[IF_MATCH_PARAMETER, ETAG_HEADER],
        examples=[UPDATE_EXAMPLE],
        responses=UPDATE_RESPONSES,
    ),
    partial_update=extend_schema(
        tags=["products"],
        summary="Update a product (PATCH)",
        description=UPDATE_DESCRIPTION,
        request=ProductSerializer,
        parameters=[IF_MATCH_PARAMETER, ETAG_HEADER],
        examples=[UPDATE_EXAMPLE],
        responses=UPDATE_RESPONSES,
    ),
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
product_bulk_create_schema = extend_schema(
    tags=["products"],
    summary="Create many products",
    description=f"Creates every product or none; each starts its stock ledger. {BULK_NOTE}",
    request=ProductSerializer(many=True),
    examples=[
        example(
            "Two products",
            [
                {"sku": "PROD-001", "name": "Laptop", "price": 999.99, "stock": 50},
                {"sku": "PROD-002", "name": "Mouse", "price": 19.99, "stock": 200},
            ],
            request=True,
        ),
        example(
            "Invalid items",
            {
                "detail": {
                    "1": {"price": ["Ensure that there are no more than 2 decimal places."]},
                    "4": {"sku": ["This field is required."]},
                }
            },
            status_code=400,
        ),
        example(
            "SKU conflicts",
            {
                "detail": {
                    "0": "Product with SKU 'PROD-001' already exists",
                    "3": "Product with SKU 'PROD-009' already exists",
                }
            },
            status_code=409,
        ),
    ],
    responses={
        201: ProductSerializer(many=True),
        400: error_response("Invalid items, by index (or a body that is not a list)."),
        409: error_response("SKUs already taken (or repeated in this request), by index."),
        413: BODY_ERRORS[413],
        415: BODY_ERRORS[415],
        **WRITE_ERRORS,
    },
)
product_bulk_update_schema = extend_schema(
    tags=["products"],
    summary="Update many products (PATCH)",
    description="Partial updates by `id`, applied in order: only the fields sent change. Stock "
    f"changes are recorded in the stock ledger as adjustments. An id may appear once. {BULK_NOTE}",
    request=ProductBulkUpdateItemSerializer(many=True),
    examples=[
        example(
            "Reprice one, restock another",
            [{"id": 1, "price": 899.99}, {"id": 2, "stock": 250}],
            request=True,
        ),
        example("Unknown ids", {"detail": {"1": "Product with ID 999 not found"}}, status_code=404),
    ],
    responses={
        200: ProductSerializer(many=True),
        400: error_response("Invalid items, by index (or a body that is not a list)."),
        404: error_response("Items naming missing or archived products, by index."),
        409: error_response("SKUs already taken by other live products, by index."),
        413: BODY_ERRORS[413],
        415: BODY_ERRORS[415],
        **WRITE_ERRORS,
    },
)
