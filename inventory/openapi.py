"""OpenAPI description of the products endpoints (kept out of the views to keep them short)."""
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema, extend_schema_view

from inventory.serializers import ProductSerializer
from webstore.openapi import BODY_ERRORS, QUERY_ERRORS, error_response, example


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
            "Duplicate SKU", {"detail": "Product with SKU 'PROD-001' already exists"}, status_code=409
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
    "is recorded in the stock ledger as an adjustment."
)

product_schema = extend_schema_view(
    list=extend_schema(
        tags=["products"],
        summary="List products",
        description="Live products in id order, filtered and windowed by `skip`/`limit`.",
        responses={200: ProductSerializer(many=True), **QUERY_ERRORS},
    ),
    create=extend_schema(
        tags=["products"],
        summary="Create a product",
        request=ProductSerializer,
        examples=[CREATE_EXAMPLE],
        responses={201: ProductSerializer, **BODY_ERRORS, **SKU_CONFLICT},
    ),
    retrieve=extend_schema(
        tags=["products"], summary="Get a product", responses={200: ProductSerializer, **NOT_FOUND}
    ),
    update=extend_schema(
        tags=["products"],
        summary="Update a product",
        description=UPDATE_DESCRIPTION,
        request=ProductSerializer,
        examples=[UPDATE_EXAMPLE],
        responses={200: ProductSerializer, **BODY_ERRORS, **NOT_FOUND, **SKU_CONFLICT},
    ),
    partial_update=extend_schema(
        tags=["products"],
        summary="Update a product (PATCH)",
        description=UPDATE_DESCRIPTION,
        request=ProductSerializer,
        examples=[UPDATE_EXAMPLE],
        responses={200: ProductSerializer, **BODY_ERRORS, **NOT_FOUND, **SKU_CONFLICT},
    ),
    destroy=extend_schema(
        tags=["products"],
        summary="Delete (archive) a product",
        description="Archives the product: it leaves the API and its SKU becomes free; existing "
        "orders keep pointing at it. Staff can restore it in the admin.",
        responses={204: None, **NOT_FOUND},
    ),
)
