"""The products API: parse, call a service or selector, answer with the product's API rows."""

from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from inventory.exceptions import ProductNotFound
from inventory.filters import ProductFilter
from inventory.openapi import product_bulk_create_schema, product_bulk_update_schema, product_schema
from inventory.selectors import PRODUCT_ROW, product_list, product_page, product_row
from inventory.serializers import (
    ProductBulkUpdateSerializer,
    ProductSerializer,
    product_bulk_create_serializer,
)
from inventory.services import (
    product_archive,
    product_bulk_create,
    product_bulk_update,
    product_create,
    product_update,
)
from webstore.api.conditional import etag_header, if_match_versions, row_version
from webstore.api.filters import filter_values
from webstore.api.paths import parse_path_id
from webstore.idempotency.decorators import idempotent


@product_schema
class ProductViewSet(viewsets.ModelViewSet):
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return product_list()

    def list(self, request, *args, **kwargs):
        filters = filter_values(self.filterset_class, request)
        window = self.paginator.page_window(request)
        rows = product_page(filters=filters, window=window)
        return self.get_paginated_response(self.paginator.page_rows(rows, window, request))

    def product_id(self) -> int:
        product_id = parse_path_id(self.kwargs["pk"])
        if product_id is None:
            raise ProductNotFound(self.kwargs["pk"])
        return product_id

    def retrieve(self, request, *args, **kwargs):
        row = product_row(product_id=self.product_id())
        return Response(row, headers=etag_header(row_version(row)))

    @idempotent
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        product = product_create(**body.validated_data)
        return Response(PRODUCT_ROW.of(product), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        product_id = self.product_id()
        body = self.get_serializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        product = product_update(
            product_id=product_id,
            changes=body.validated_data,
            expected_versions=if_match_versions(request),
        )
        row = PRODUCT_ROW.of(product)
        return Response(row, headers=etag_header(row_version(row)))

    def destroy(self, request, *args, **kwargs):
        product_archive(product_id=self.product_id())
        return Response(status=status.HTTP_204_NO_CONTENT)

    # A list-level route, so the router matches /products/bulk before the /products/{id} route;
    # other methods on it answer 405, never "Product with ID bulk not found". It neither filters
    # nor paginates, so the list's query parameters are not its own (nor in its schema).
    @product_bulk_create_schema
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk",
        filter_backends=[],
        pagination_class=None,
    )
    def bulk_create(self, request):
        body = product_bulk_create_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        products = product_bulk_create(items=body.validated_data)
        return Response([PRODUCT_ROW.of(p) for p in products], status=status.HTTP_201_CREATED)

    @product_bulk_update_schema
    @bulk_create.mapping.patch
    def bulk_update(self, request):
        body = ProductBulkUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        updates = [
            (item["id"], {field: value for field, value in item.items() if field != "id"})
            for item in body.validated_data
        ]
        products = product_bulk_update(updates=updates)
        return Response([PRODUCT_ROW.of(p) for p in products])
