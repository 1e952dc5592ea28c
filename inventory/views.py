"""The products API: parse, call a service or selector, serialize."""
from rest_framework import status, viewsets
from rest_framework.response import Response

from inventory.exceptions import ProductNotFound
from inventory.filters import ProductFilter
from inventory.openapi import product_schema
from inventory.selectors import product_get, product_list
from inventory.serializers import ProductSerializer
from inventory.services import product_archive, product_create, product_update
from webstore.paths import parse_path_id


@product_schema
class ProductViewSet(viewsets.ModelViewSet):
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        # A page shows five columns; leaving out the three timestamps spares parsing them on
        # every row (the list is the hottest read).
        return product_list().only(*ProductSerializer.Meta.fields)

    def get_object(self):
        return product_get(product_id=self.product_id())

    def product_id(self) -> int:
        product_id = parse_path_id(self.kwargs["pk"])
        if product_id is None:
            raise ProductNotFound(self.kwargs["pk"])
        return product_id

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        product = product_create(**body.validated_data)
        return Response(self.get_serializer(product).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        product_id = self.product_id()
        body = self.get_serializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        product = product_update(product_id=product_id, changes=body.validated_data)
        return Response(self.get_serializer(product).data)

    def destroy(self, request, *args, **kwargs):
        product_archive(product_id=self.product_id())
        return Response(status=status.HTTP_204_NO_CONTENT)
