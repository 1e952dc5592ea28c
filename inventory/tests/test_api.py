"""The products contract (SPEC.md, Products): status, exact body, state read back."""

from decimal import Decimal

import pytest

from inventory.models import Product, StockMovement
from inventory.serializers import ProductSerializer
from webstore.api.renderers import JSONRenderer

pytestmark = pytest.mark.django_db


def body(product: Product) -> dict:
    return {
        "id": product.pk,
        "sku": product.sku,
        "name": product.name,
        "price": float(product.price),
        "stock": product.stock,
    }


def test_create_returns_201_and_the_product(api_client):
    response = api_client.post(
        "/products", {"sku": "PROD-001", "name": "Laptop", "price": 19.99, "stock": 5}
    )
    assert response.status_code == 201
    product = Product.objects.get()
    assert response.json() == {
        "id": product.pk,
        "sku": "PROD-001",
        "name": "Laptop",
        "price": 19.99,
        "stock": 5,
    }
    assert product.price == Decimal("19.99")
    assert product.movements.get().reason == StockMovement.Reason.INITIAL


def test_create_accepts_price_as_numeric_string_and_defaults_stock(api_client):
    response = api_client.post("/products", {"sku": "S", "name": "N", "price": "10.50"})
    assert response.status_code == 201
    assert response.json()["price"] == 10.5
    assert response.json()["stock"] == 0


def test_create_duplicate_sku_is_409(api_client, product):
    response = api_client.post(
        "/products", {"sku": "PROD-001", "name": "Other", "price": 1, "stock": 1}
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "Product with SKU 'PROD-001' already exists"}
    assert Product.objects.count() == 1


def test_create_rejects_unknown_field(api_client):
    response = api_client.post(
        "/products", {"sku": "S", "name": "N", "price": 1, "stock": 1, "color": "red"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": {"color": ["Unknown field."]}}
    assert not Product.objects.exists()


def test_create_rejects_price_with_more_than_two_decimals(api_client):
    response = api_client.post("/products", {"sku": "S", "name": "N", "price": 1.999, "stock": 1})
    assert response.status_code == 400
    assert response.json() == {
        "detail": {"price": ["Ensure that there are no more than 2 decimal places."]}
    }


def test_list_is_a_bare_list_in_id_order(api_client, make_product):
    products = [make_product() for _ in range(3)]
    response = api_client.get("/products")
    assert response.status_code == 200
    assert response.json() == [body(product) for product in products]


def test_list_rows_are_the_serializers_representation(api_client, make_product):
    products = [make_product(price=price, stock=n) for n, price in enumerate(["0.5", "7", "19.99"])]
    response = api_client.get("/products", {"limit": 2})
    detail = [api_client.get(f"/products/{product.pk}").content for product in products[:2]]
    expected = [JSONRenderer().render(ProductSerializer(product).data) for product in products[:2]]

    assert response.content == b"[" + b",".join(expected) + b"]"
    assert detail == expected
    assert response["Link"].endswith('; rel="next"')


def test_list_skip_and_limit_window(api_client, make_product):
    products = [make_product() for _ in range(5)]
    response = api_client.get("/products", {"skip": 1, "limit": 2})
    assert response.json() == [body(products[1]), body(products[2])]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"skip": -1}, "skip"),
        ({"skip": "x"}, "skip"),
        ({"skip": 10**12}, "skip"),
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"in_stock": "maybe"}, "in_stock"),
        ({"in_stock": ""}, "in_stock"),
    ],
)
def test_list_rejects_bad_query_parameters(api_client, params, field):
    response = api_client.get("/products", params)
    assert response.status_code == 400
    assert list(response.json()["detail"]) == [field]


def test_list_filters_search_sku_and_in_stock(api_client, make_product):
    laptop = make_product(sku="LAP-1", name="Gaming Laptop", stock=3)
    mouse = make_product(sku="MOU-1", name="Mouse", stock=0)
    assert api_client.get("/products", {"search": "laptop"}).json() == [body(laptop)]
    assert api_client.get("/products", {"search": "mou-"}).json() == [body(mouse)]
    assert api_client.get("/products", {"sku": "MOU-1"}).json() == [body(mouse)]
    assert api_client.get("/products", {"sku": "MOU"}).json() == []
    assert api_client.get("/products", {"in_stock": "true"}).json() == [body(laptop)]
    assert api_client.get("/products", {"in_stock": "false"}).json() == [body(mouse)]


def test_get_returns_the_product(api_client, product):
    response = api_client.get(f"/products/{product.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": product.pk,
        "sku": "PROD-001",
        "name": "Laptop",
        "price": 999.99,
        "stock": 50,
    }


def test_get_unknown_is_404(api_client):
    response = api_client.get("/products/999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Product with ID 999 not found"}


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_is_partial(api_client, product, method):
    response = getattr(api_client, method)(f"/products/{product.pk}", {"price": 59.99, "stock": 60})
    assert response.status_code == 200
    assert response.json() == {
        "id": product.pk,
        "sku": "PROD-001",
        "name": "Laptop",
        "price": 59.99,
        "stock": 60,
    }
    product.refresh_from_db()
    assert (product.name, product.price, product.stock) == ("Laptop", Decimal("59.99"), 60)
    assert product.movements.filter(reason="adjustment").get().delta == 10


def test_update_unknown_is_404(api_client):
    response = api_client.put("/products/999", {"name": "x"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Product with ID 999 not found"}


def test_update_to_taken_sku_is_409(api_client, make_product, product):
    other = make_product(sku="OTHER")
    response = api_client.put(f"/products/{other.pk}", {"sku": "PROD-001"})
    assert response.status_code == 409
    assert response.json() == {"detail": "Product with SKU 'PROD-001' already exists"}
    other.refresh_from_db()
    assert other.sku == "OTHER"


def test_update_validation_error_changes_nothing(api_client, product):
    response = api_client.put(f"/products/{product.pk}", {"name": "New", "stock": -1})
    assert response.status_code == 400
    assert response.json() == {
        "detail": {"stock": ["Ensure this value is greater than or equal to 0."]}
    }
    product.refresh_from_db()
    assert (product.name, product.stock) == ("Laptop", 50)


def test_delete_archives_product(api_client, product, make_order):
    order = make_order(product, quantity=2)
    response = api_client.delete(f"/products/{product.pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert api_client.get(f"/products/{product.pk}").status_code == 404
    assert api_client.get("/products").json() == []
    product.refresh_from_db()
    assert product.is_archived
    # Existing orders keep pointing at it; it cannot be ordered any more.
    assert api_client.get(f"/orders/{order.pk}").json()["product_id"] == product.pk
    response = api_client.post("/orders", {"product_id": product.pk, "quantity": 1})
    assert response.status_code == 404
    assert response.json() == {"detail": f"Product with ID {product.pk} not found"}


def test_delete_frees_the_sku(api_client, product):
    api_client.delete(f"/products/{product.pk}")
    response = api_client.post("/products", {"sku": "PROD-001", "name": "Laptop 2", "price": 5})
    assert response.status_code == 201
    assert response.json()["id"] != product.pk


def test_delete_unknown_or_archived_is_404(api_client, product):
    assert api_client.delete("/products/999").json() == {"detail": "Product with ID 999 not found"}
    api_client.delete(f"/products/{product.pk}")
    response = api_client.delete(f"/products/{product.pk}")
    assert response.status_code == 404
