"""API keys: writes need one when REQUIRE_API_KEY is on; reads stay public."""

import hashlib
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient

from inventory.models import Product
from orders.models import Order
from webstore.access.models import ApiKey
from webstore.access.services import api_key_create, api_key_revoke

pytestmark = pytest.mark.django_db

MISSING_KEY = {
    "detail": "An API key is required for writes: send 'Authorization: Bearer <key>' or "
    "'X-API-Key: <key>'."
}
NEW_PRODUCT = {"sku": "NEW-1", "name": "New", "price": 5, "stock": 3}


def test_only_a_hash_of_the_key_is_stored():
    api_key, secret = api_key_create(name="shop frontend")
    assert secret.startswith(f"wsk_{api_key.prefix}_")
    assert len(secret) > 40
    stored = ApiKey.objects.get()
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.name, stored.prefix, stored.key_hash}
    assert stored.revoked_at is None


def test_create_api_key_command_prints_the_key_once(capsys):
    call_command("create_api_key", "ci-smoke")
    captured = capsys.readouterr()
    secret = captured.out.strip()
    api_key = ApiKey.objects.get(name="ci-smoke")
    assert api_key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert "cannot be shown again" in captured.err
    assert secret not in captured.err


def test_revoke_api_key_command(capsys):
    api_key, _ = api_key_create(name="old")
    call_command("revoke_api_key", api_key.prefix)
    api_key.refresh_from_db()
    assert api_key.is_revoked


@pytest.mark.parametrize(
    "method, path, payload",
    [
        ("post", "/products", NEW_PRODUCT),
        ("put", "/products/{product}", {"name": "X"}),
        ("patch", "/products/{product}", {"name": "X"}),
        ("delete", "/products/{product}", None),
        ("post", "/products/bulk", [NEW_PRODUCT]),
        ("patch", "/products/bulk", [{"id": "{product}", "name": "X"}]),
        ("post", "/orders", {"product_id": "{product}", "quantity": 1}),
        ("put", "/orders/{order}", {"status": "PAID"}),
        ("patch", "/orders/{order}", {"status": "PAID"}),
        ("delete", "/orders/{order}", None),
    ],
)
def test_writes_without_a_key_are_401_and_change_nothing(
    require_api_key, api_client, product, make_order, method, path, payload
):
    order = make_order(product)
    payload = _fill(payload, product=product.pk)
    response = getattr(api_client, method)(path.format(product=product.pk, order=order.pk), payload)
    assert response.status_code == 401
    assert response.json() == MISSING_KEY
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    product.refresh_from_db()
    order.refresh_from_db()
    assert (product.name, product.stock, product.archived_at) == ("Laptop", 49, None)
    assert order.status == Order.Status.PENDING
    assert Product.objects.count() == 1 and Order.objects.count() == 1


@pytest.mark.parametrize("header", ["bearer", "x-api-key"])
def test_writes_with_a_valid_key_succeed(require_api_key, api_key_secret, header):
    client = APIClient()
    if header == "bearer":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_secret}")
    else:
        client.credentials(HTTP_X_API_KEY=api_key_secret)
    response = client.post("/products", NEW_PRODUCT)
    assert response.status_code == 201
    assert Product.objects.get().sku == "NEW-1"


@pytest.mark.parametrize(
    "credentials",
    [
        {"HTTP_AUTHORIZATION": "Bearer wsk_00000000_not-a-real-key"},
        {"HTTP_X_API_KEY": "guess"},
        {"HTTP_AUTHORIZATION": "Bearer"},
        {"HTTP_AUTHORIZATION": "Bearer two words"},
    ],
)
def test_unknown_or_malformed_key_is_401(require_api_key, credentials):
    client = APIClient()
    client.credentials(**credentials)
    response = client.post("/products", NEW_PRODUCT)
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert not Product.objects.exists()


def test_revoked_key_is_403(require_api_key, keyed_client, api_key_secret, product):
    api_key_revoke(api_key=ApiKey.objects.get())
    response = keyed_client.post("/products", NEW_PRODUCT)
    assert response.status_code == 403
    assert response.json() == {"detail": "API key has been revoked."}
    assert keyed_client.delete(f"/products/{product.pk}").status_code == 403
    assert Product.objects.count() == 1


def test_reads_stay_public(require_api_key, api_client, product, make_order):
    make_order(product)
    for path in ["/products", f"/products/{product.pk}", "/orders", "/health", "/openapi.json"]:
        assert api_client.get(path).status_code == 200, path


def test_keys_are_ignored_when_not_required(api_client, settings):
    settings.REQUIRE_API_KEY = False
    api_client.credentials(HTTP_AUTHORIZATION="Bearer stale-key-from-another-environment")
    assert api_client.post("/products", NEW_PRODUCT).status_code == 201


def test_basic_auth_of_a_proxy_is_not_ours(require_api_key, api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    response = api_client.post("/products", NEW_PRODUCT)
    assert response.status_code == 401
    assert response.json() == MISSING_KEY


def test_payment_webhook_is_not_behind_api_keys(require_api_key, api_client):
    # The webhook is authenticated by its HMAC signature only: whatever it answers to an
    # unsigned call, it is never the API-key refusal.
    response = api_client.post("/webhooks/payment", {"event": "payment.succeeded", "order_id": 1})
    assert response.json() != MISSING_KEY
    assert "WWW-Authenticate" not in response


def _fill(payload, **ids):
    if isinstance(payload, list):
        return [_fill(item, **ids) for item in payload]
    if isinstance(payload, dict):
        return {k: ids["product"] if v == "{product}" else v for k, v in payload.items()}
    return payload


def test_require_api_key_defaults_follow_debug():
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "s", "WEBHOOK_SECRET": "w"}
    code = "from webstore import settings; print(settings.REQUIRE_API_KEY)"

    def boot(debug):
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, "DEBUG": debug, "DJANGO_SETTINGS_MODULE": "webstore.settings"},
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert boot("false") == "True"
    assert boot("true") == "False"


@override_settings(REQUIRE_API_KEY=True)
def test_admin_creates_a_key_shows_it_once_and_revokes(admin_client):
    response = admin_client.post("/admin/access/apikey/add/", {"name": "warehouse"})
    assert response.status_code == 200
    api_key = ApiKey.objects.get(name="warehouse")
    html = response.content.decode()
    secret = html.split('id="api-key-secret"')[1].split(">")[1].split("<")[0]
    assert api_key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert (
        admin_client.get(f"/admin/access/apikey/{api_key.pk}/change/")
        .content.decode()
        .count(secret)
        == 0
    )

    client = APIClient()
    client.credentials(HTTP_X_API_KEY=secret)
    assert client.post("/products", NEW_PRODUCT).status_code == 201

    response = admin_client.post(
        "/admin/access/apikey/", {"action": "revoke", "_selected_action": [api_key.pk]}
    )
    assert response.status_code == 302
    api_key.refresh_from_db()
    assert api_key.is_revoked
    assert client.post("/products", {**NEW_PRODUCT, "sku": "NEW-2"}).status_code == 403
