"""Request ids, the access log, domain events, metrics, readiness and JSON crash answers."""

import re
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpResponse
from django.test import RequestFactory
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from inventory.models import Product
from orders.models import Order
from orders.services import OrderLine, order_place
from webstore.observability.middleware import RequestLogMiddleware

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


def counter(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def lines_of(log: list[dict], event: str) -> list[dict]:
    return [line for line in log if line["event"] == event]


# --- Request ids -------------------------------------------------------------------------------


def test_liveness_is_unchanged_and_gets_a_generated_request_id(api_client):
    response = api_client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "healthy"}
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


def test_a_well_formed_caller_request_id_is_kept(api_client, db):
    response = api_client.get("/products", HTTP_X_REQUEST_ID="checkout-7f3a:retry.2")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "checkout-7f3a:retry.2"


@pytest.mark.parametrize(
    "incoming", ["", "has space", "line\nbreak", "x" * 129, 'quote"d', "ünïcode"]
)
def test_a_malformed_caller_request_id_is_replaced(api_client, incoming):
    response = api_client.get("/health", HTTP_X_REQUEST_ID=incoming)
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


def test_error_answers_carry_the_request_id_header_too(api_client, db):
    response = api_client.get("/orders/999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Order with ID 999 not found"}
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


# --- Access log and domain events --------------------------------------------------------------


def test_each_request_writes_one_json_access_line(api_client, db, json_log):
    response = api_client.get("/products?limit=5", HTTP_X_REQUEST_ID="req-1")
    [line] = lines_of(json_log(), "request")
    assert line["logger"] == "webstore.access"
    assert line["level"] == "info"
    assert {key: line[key] for key in ("method", "path", "status", "request_id", "api_key")} == {
        "method": "GET",
        "path": "/products",
        "status": 200,
        "request_id": "req-1",
        "api_key": "-",
    }
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert response.status_code == 200


def test_the_access_line_names_the_api_key_that_authenticated(json_log, settings):
    def view_authenticated_by_key(request):
        request.auth = SimpleNamespace(name="warehouse-sync")  # as DRF sets it
        return HttpResponse(status=204)

    request = RequestFactory().post("/products")
    RequestLogMiddleware(view_authenticated_by_key)(request)
    [line] = lines_of(json_log(), "request")
    assert (line["api_key"], line["status"], line["method"]) == ("warehouse-sync", 204, "POST")


@pytest.mark.django_db(transaction=True)
def test_order_events_are_logged_with_the_request_id_and_counted(
    api_client, make_product, json_log
):
    product = make_product(stock=3)
    placed, canceled = (
        counter("webstore_orders_placed_total"),
        counter("webstore_orders_canceled_total"),
    )
    rejected = counter("webstore_insufficient_stock_total")
    moved_out = counter("webstore_stock_movements_total", reason="order_placed")
    moved_back = counter("webstore_stock_movements_total", reason="order_canceled")

    create = api_client.post("/orders", {"product_id": product.pk, "quantity": 2}, format="json")
    refused = api_client.post("/orders", {"product_id": product.pk, "quantity": 2}, format="json")
    cancel = api_client.delete(f"/orders/{create.json()['id']}")

    assert (create.status_code, refused.status_code, cancel.status_code) == (201, 409, 204)
    log = json_log()
    order_id = create.json()["id"]
    [placed_line] = lines_of(log, "order_placed")
    assert placed_line["request_id"] == create["X-Request-ID"]
    assert {
        k: placed_line[k] for k in ("logger", "order_id", "product_id", "quantity", "status")
    } == {
        "logger": "orders",
        "order_id": order_id,
        "product_id": product.pk,
        "quantity": 2,
        "status": "PENDING",
    }
    [refused_line] = lines_of(log, "stock_insufficient")
    assert refused_line["request_id"] == refused["X-Request-ID"]
    assert (refused_line["level"], refused_line["requested"], refused_line["available"]) == (
        "warning",
        2,
        1,
    )
    [canceled_line] = lines_of(log, "order_canceled")
    assert canceled_line["request_id"] == cancel["X-Request-ID"]
    assert (canceled_line["order_id"], canceled_line["previous_status"]) == (order_id, "PENDING")

    assert counter("webstore_orders_placed_total") == placed + 1
    assert counter("webstore_orders_canceled_total") == canceled + 1
    assert counter("webstore_insufficient_stock_total") == rejected + 1
    assert counter("webstore_stock_movements_total", reason="order_placed") == moved_out + 1
    assert counter("webstore_stock_movements_total", reason="order_canceled") == moved_back + 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_order_is_neither_logged_nor_counted(make_product, json_log):
    product = make_product(stock=5)
    placed = counter("webstore_orders_placed_total")
    with pytest.raises(RuntimeError), transaction.atomic():
        order_place(items=[OrderLine(product.pk, 1)])
        raise RuntimeError("caller failed after placing")
    assert Order.objects.count() == 0
    assert Product.objects.get(pk=product.pk).stock == 5
    assert counter("webstore_orders_placed_total") == placed
    assert lines_of(json_log(), "order_placed") == []


# --- Metrics -------------------------------------------------------------------------------------


def test_metrics_endpoint_exposes_request_and_business_series(api_client, db):
    api_client.get("/health")
    response = api_client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert re.search(
        r'^webstore_http_requests_total\{method="GET",route="health",status="200"\} [1-9]',
        text,
        re.M,
    )
    assert (
        'webstore_http_request_duration_seconds_bucket{le="0.005",method="GET",route="health"}'
        in text
    )
    for family in (
        "webstore_orders_placed_total",
        "webstore_orders_canceled_total",
        "webstore_insufficient_stock_total",
        "# TYPE webstore_stock_movements_total counter",
        "# TYPE webstore_webhook_events_total counter",
    ):
        assert family in text


METRICS_TOKENS = ["scrape-token-1", "scrape-token-2"]


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", "Bearer", "scrape-token-1", "Basic c2NyYXBlLXRva2VuLTE="],
)
def test_metrics_with_a_token_configured_refuse_any_other_caller(
    api_client, db, settings, authorization
):
    settings.METRICS_TOKENS = METRICS_TOKENS
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = api_client.get("/metrics", **headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or missing metrics token."}
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'


@pytest.mark.parametrize("token", METRICS_TOKENS)
def test_metrics_with_a_token_configured_answer_a_scraper_sending_any_of_them(
    api_client, db, settings, token
):
    settings.METRICS_TOKENS = METRICS_TOKENS
    response = api_client.get("/metrics", HTTP_AUTHORIZATION=f"bearer {token}")
    assert response.status_code == 200
    assert "# TYPE webstore_http_requests_total counter" in response.content.decode()


def test_unknown_methods_share_one_metric_series(api_client):
    before = counter("webstore_http_requests_total", method="OTHER", route="health", status="200")
    response = api_client.generic("BREW", "/health")
    assert response.status_code == 200
    after = counter("webstore_http_requests_total", method="OTHER", route="health", status="200")
    assert after == before + 1


# --- Readiness ------------------------------------------------------------------------------------


def test_readiness_is_200_when_the_database_answers_and_is_migrated(api_client, db):
    response = api_client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}
    assert api_client.get("/health/ready/").status_code == 200


def test_readiness_is_503_with_the_reason_when_a_migration_is_missing(api_client, db):
    MigrationRecorder(connection).record_unapplied("orders", "0001_initial")
    response = api_client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reasons": {"migrations": "1 not applied: orders.0001_initial"},
    }
    assert api_client.get("/health").json() == {"status": "healthy"}


# --- Crashes ---------------------------------------------------------------------------------


def test_a_crash_inside_an_api_view_is_a_json_500_with_the_request_id(db, monkeypatch, json_log):
    def broken_order_page(**kwargs):
        raise RuntimeError("bug in a selector")

    monkeypatch.setattr("orders.views.order_page", broken_order_page)
    client = APIClient(raise_request_exception=False)
    response = client.get("/orders", HTTP_X_REQUEST_ID="crash-1")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Internal server error.", "request_id": "crash-1"}
    assert response["X-Request-ID"] == "crash-1"
    log = json_log()
    [error] = [line for line in log if line["logger"] == "django.request"]
    assert error["request_id"] == "crash-1"
    assert "RuntimeError: bug in a selector" in error["exception"]
    [access] = lines_of(log, "request")
    assert (access["status"], access["level"]) == (500, "error")
