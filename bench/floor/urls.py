"""The benchmark's routes answered with fixed JSON; BENCH_FLOOR picks `django` or `drf`."""

import os

import orjson
from django.http import HttpResponse
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status, viewsets
from rest_framework.response import Response

from bench.ceiling import BODIES, ORDER, PRODUCT
from webstore.api.routers import OptionalSlashRouter
from webstore.observability.views import health

_PRODUCTS = [{**PRODUCT, "id": n} for n in range(1, 21)]


def _json(body: bytes, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="application/json")


@csrf_exempt  # as DRF's views are
def products(request):
    if request.method == "POST":
        orjson.loads(request.body)
        return _json(BODIES["POST", "products"][1], 201)
    return _json(BODIES["GET", "list"][1])


def product(request, pk):
    return _json(BODIES["GET", "item"][1])


@csrf_exempt
def orders(request):
    orjson.loads(request.body)
    return _json(BODIES["POST", "orders"][1], 201)


class ProductViewSet(viewsets.ViewSet):
    def list(self, request):
        return Response(_PRODUCTS)

    def retrieve(self, request, pk=None):
        return Response(PRODUCT)

    def create(self, request):
        request.data  # noqa: B018  (parsed, as the service must)
        return Response(PRODUCT, status=status.HTTP_201_CREATED)


class OrderViewSet(viewsets.ViewSet):
    def create(self, request):
        request.data  # noqa: B018
        return Response(ORDER, status=status.HTTP_201_CREATED)


urlpatterns = [re_path(r"^health/?$", health)]
if os.environ.get("BENCH_FLOOR") == "drf":
    router = OptionalSlashRouter()
    router.register("products", ProductViewSet, basename="product")
    router.register("orders", OrderViewSet, basename="order")
    urlpatterns += router.urls
else:
    urlpatterns += [
        re_path(r"^products/?$", products),
        re_path(r"^products/(?P<pk>[^/]+)/?$", product),
        re_path(r"^orders/?$", orders),
    ]
