"""POST and PATCH /products/bulk: all or nothing, errors by index, stock through the ledger."""

import pytest
from django.db.models import Sum

from inventory.models import Product, StockMovement

pytestmark = pytest.mark.django_db


def body(product: Product) -> dict:
    product.refresh_from_db()
    return {
        "id": product.pk,
        "sku": product.sku,
        "name": product.name,
        "price": float(product.price),
        "stock": product.stock,
    }


def assert_ledger_exact():
    for product in Product.objects.all():
        total = product.movements.aggregate(total=Sum("delta"))["total"]
        assert product.stock == total, product


def item(n: int, **overrides) -> dict:
    return {"sku": f"BULK-{n}", "name": f"Bulk {n}", "price": "1.50", "stock": n, **overrides}


@pytest.mark.parametrize("slash", ["", "/"])
def test_bulk_create_creates_all_in_order(api_client, slash):
    response = api_client.post(f"/products/bulk{slash}", [item(1), item(2), item(3)])
    assert response.status_code == 201
    products = list(Product.objects.order_by("pk"))
    assert response.json() == [body(product) for product in products]
    assert [p.sku for p in products] == ["BULK-1", "BULK-2", "BULK-3"]
    assert StockMovement.objects.filter(reason="initial").count() == 3
    assert_ledger_exact()


def test_bulk_create_reports_invalid_items_by_index_and_creates_nothing(api_client):
    response = api_client.post(
        "/products/bulk",
        [item(1), item(2, price="1.999"), item(3), {"name": "no sku", "price": 1, "color": "red"}],
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": {
            "1": {"price": ["Ensure that there are no more than 2 decimal places."]},
            "3": {"sku": ["This field is required."], "color": ["Unknown field."]},
        }
    }
    assert not Product.objects.exists()


def test_bulk_create_reports_every_sku_conflict_by_index(api_client, product):
    response = api_client.post(
        "/products/bulk", [item(1), item(2, sku="PROD-001"), item(3), item(4, sku="BULK-1")]
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": {
            "1": "Product with SKU 'PROD-001' already exists",
            "3": "Product with SKU 'BULK-1' already exists",
        }
    }
    assert list(Product.objects.all()) == [product]
    assert_ledger_exact()


@pytest.mark.parametrize(
    "payload, error",
    [
        ({"sku": "A"}, 'Expected a list of items but got type "dict".'),
        ([], "This list may not be empty."),
        ([item(n) for n in range(1001)], "Ensure this field has no more than 1000 elements."),
    ],
)
@pytest.mark.parametrize("method", ["post", "patch"])
def test_bulk_body_must_be_a_list_of_1_to_1000_items(api_client, method, payload, error):
    response = getattr(api_client, method)("/products/bulk", payload)
    assert response.status_code == 400
    assert response.json() == {"detail": {"non_field_errors": [error]}}
    assert not Product.objects.exists()


def test_bulk_update_applies_partial_changes_and_records_stock_in_the_ledger(
    api_client, make_product
):
    first, second = make_product(stock=10), make_product(stock=5, name="Keep")
    response = api_client.patch(
        "/products/bulk",
        [{"id": second.pk, "stock": 8}, {"id": first.pk, "price": "2.25", "name": "Renamed"}],
    )
    assert response.status_code == 200
    assert response.json() == [body(second), body(first)]
    assert (second.name, second.stock) == ("Keep", 8)
    assert (first.name, float(first.price), first.stock) == ("Renamed", 2.25, 10)
    adjustment = StockMovement.objects.get(reason="adjustment")
    assert (adjustment.product_id, adjustment.delta, adjustment.actor) == (second.pk, 3, "api")
    assert_ledger_exact()


def test_bulk_update_is_all_or_nothing_with_missing_ids_by_index(api_client, make_product):
    product = make_product(stock=10)
    archived = make_product()
    api_client.delete(f"/products/{archived.pk}")
    response = api_client.patch(
        "/products/bulk",
        [
            {"id": product.pk, "stock": 1},
            {"id": 999999, "name": "x"},
            {"id": archived.pk, "name": "y"},
        ],
    )
    assert response.status_code == 404
    assert response.json() == {
        "detail": {
            "1": "Product with ID 999999 not found",
            "2": f"Product with ID {archived.pk} not found",
        }
    }
    product.refresh_from_db()
    assert product.stock == 10
    assert not StockMovement.objects.filter(reason="adjustment").exists()


def test_bulk_update_sku_conflict_by_index_rolls_back_everything(api_client, make_product):
    a, b = make_product(sku="A", stock=3), make_product(sku="B")
    response = api_client.patch(
        "/products/bulk", [{"id": a.pk, "stock": 9, "name": "changed"}, {"id": b.pk, "sku": "A"}]
    )
    assert response.status_code == 409
    assert response.json() == {"detail": {"1": "Product with SKU 'A' already exists"}}
    a.refresh_from_db()
    assert (a.name, a.stock) == ("Widget", 3)
    assert_ledger_exact()


@pytest.mark.parametrize(
    "items, errors",
    [
        ([{"name": "no id"}], {"0": {"id": ["This field is required."]}}),
        ([{"id": "1", "name": "x"}], {"0": {"id": ["A valid integer is required."]}}),
        (
            [{"id": 1, "stock": -1}],
            {"0": {"stock": ["Ensure this value is greater than or equal to 0."]}},
        ),
        ([{"id": 1, "price": 0}], {"0": {"price": ["Ensure this value is greater than 0."]}}),
        ([{"id": 1, "color": "red"}], {"0": {"color": ["Unknown field."]}}),
        (
            [{"id": 1, "name": "a"}, {"id": 1, "name": "b"}],
            {"1": {"id": ["Duplicate id in this request."]}},
        ),
        (
            ["nope"],
            {"0": {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]}},
        ),
    ],
)
def test_bulk_update_validation_errors_by_index(api_client, items, errors):
    response = api_client.patch("/products/bulk", items)
    assert response.status_code == 400
    assert response.json() == {"detail": errors}


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_on_bulk_are_405_not_a_product_lookup(api_client, method):
    response = getattr(api_client, method)("/products/bulk")
    assert response.status_code == 405
    assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}
    assert "POST" in response["Allow"] and "PATCH" in response["Allow"]


def test_bulk_is_documented_with_examples(api_client):
    operations = api_client.get("/openapi.json").json()["paths"]["/products/bulk"]
    assert set(operations) == {"post", "patch"}
    for method, codes in (("post", {"201", "400", "409"}), ("patch", {"200", "400", "404", "409"})):
        operation = operations[method]
        assert codes <= set(operation["responses"])
        assert operation["requestBody"]["content"]["application/json"]["examples"]
