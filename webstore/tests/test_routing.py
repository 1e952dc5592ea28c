"""Every route and method answers with and without the trailing slash, with no redirect."""

import pytest

pytestmark = pytest.mark.django_db

ROUTES = [
    ("get", "/products", None, 200),
    ("post", "/products", {"sku": "NEW", "name": "New", "price": 2}, 201),
    ("get", "/products/{product}", None, 200),
    ("put", "/products/{product}", {"name": "Renamed"}, 200),
    ("patch", "/products/{product}", {"name": "Renamed"}, 200),
    ("delete", "/products/{product}", None, 204),
    ("get", "/orders", None, 200),
    ("post", "/orders", {"product_id": "{product}", "quantity": 1}, 201),
    ("get", "/orders/{order}", None, 200),
    ("put", "/orders/{order}", {"status": "PAID"}, 200),
    ("patch", "/orders/{order}", {"status": "PAID"}, 200),
    ("delete", "/orders/{order}", None, 204),
    ("get", "/health", None, 200),
    ("get", "/openapi.json", None, 200),
    ("get", "/docs", None, 200),
    ("get", "/redoc", None, 200),
]


@pytest.mark.parametrize("slash", ["", "/"], ids=["bare", "slash"])
@pytest.mark.parametrize("method, path, payload, expected", ROUTES)
def test_route_answers_with_and_without_trailing_slash(
    api_client, product, make_order, slash, method, path, payload, expected
):
    order = make_order(product)
    url = path.format(product=product.pk, order=order.pk) + slash
    if payload and payload.get("product_id") == "{product}":
        payload = {**payload, "product_id": product.pk}
    response = getattr(api_client, method)(url, payload, format="json")
    assert response.status_code == expected, response.content


def test_health_is_exact(api_client):
    response = api_client.get("/health")
    assert response.json() == {"status": "healthy"}


def test_admin_login_page_renders(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Django administration" in response.content or b"Log in" in response.content
