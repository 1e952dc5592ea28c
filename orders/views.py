"""The orders API: parse, call a service or selector, answer with the order's API rows."""

from rest_framework import status, viewsets
from rest_framework.response import Response

from orders.exceptions import OrderNotFound
from orders.filters import OrderFilter
from orders.openapi import order_schema
from orders.selectors import order_list, order_page, order_row, order_row_of
from orders.serializers import OrderCreateSerializer, OrderSerializer, OrderStatusSerializer
from orders.services import OrderLine, order_cancel, order_place, order_status_update
from webstore.api.filters import filter_values
from webstore.api.paths import parse_path_id
from webstore.idempotency.decorators import idempotent


@order_schema
class OrderViewSet(viewsets.ModelViewSet):
    serializer_class = OrderSerializer
    filterset_class = OrderFilter
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return order_list()

    def list(self, request, *args, **kwargs):
        filters = filter_values(self.filterset_class, request)
        window = self.paginator.page_window(request)
        rows = order_page(filters=filters, window=window)
        return self.get_paginated_response(self.paginator.page_rows(rows, window, request))

    def retrieve(self, request, *args, **kwargs):
        return Response(order_row(order_id=self.order_id()))

    def order_id(self) -> int:
        order_id = parse_path_id(self.kwargs["pk"])
        if order_id is None:
            raise OrderNotFound(self.kwargs["pk"])
        return order_id

    @idempotent
    def create(self, request, *args, **kwargs):
        body = OrderCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        items = [OrderLine(**item) for item in body.validated_data["items"]]
        order = order_place(items=items)
        return Response(order_row_of(order), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        order_id = self.order_id()
        body = OrderStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = order_status_update(order_id=order_id, status=body.validated_data["status"])
        return Response(order_row_of(order))

    def destroy(self, request, *args, **kwargs):
        order_cancel(order_id=self.order_id())
        return Response(status=status.HTTP_204_NO_CONTENT)
