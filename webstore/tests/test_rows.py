"""Compiled-once statements (webstore.api.rows) write and read what the ORM itself would."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import DateTimeField, F
from django.test.utils import CaptureQueriesContext

from inventory.models import Product
from webstore.api.rows import Param, RowInsert, RowShape, RowUpdate

pytestmark = pytest.mark.django_db

FIELDS = (
    "sku",
    "name",
    "price",
    "stock",
    "reorder_level",
    "archived_at",
    "created_at",
    "updated_at",
)
WHEN = dt.datetime(2026, 12, 2, 10, 30, 0, 120, tzinfo=dt.UTC)


def _row(n: int, price: str) -> dict:
    return {
        "sku": f"ROW-{n}",
        "name": f"Row {n}",
        "price": Decimal(price),
        "stock": n,
        "reorder_level": 2,
        "archived_at": None,
        "created_at": WHEN,
        "updated_at": WHEN,
    }


def test_an_insert_stores_each_value_as_the_orm_would_and_returns_the_new_rows():
    insert = RowInsert(Product, *FIELDS)
    created = insert.run([_row(1, "9.9"), _row(2, "99999999.99")])
    again = insert.run([_row(3, "0.01")])

    stored = list(Product.objects.order_by("pk").values("pk", *FIELDS))
    assert [product.pk for product in (*created, *again)] == [row["pk"] for row in stored]
    assert [(row["sku"], row["price"], row["stock"]) for row in stored] == [
        ("ROW-1", Decimal("9.90"), 1),
        ("ROW-2", Decimal("99999999.99"), 2),
        ("ROW-3", Decimal("0.01"), 3),
    ]
    assert {row["created_at"] for row in stored} == {WHEN}
    assert not created[0]._state.adding
    assert insert.run([]) == []


def test_an_update_binds_its_values_per_call_and_counts_the_rows_it_changed():
    first, second = RowInsert(Product, *FIELDS).run([_row(5, "1.00"), _row(6, "2.00")])
    take = RowUpdate(
        lambda: (
            Product.objects.filter(pk=Param("id"), stock__gte=Param("needed")),
            {"stock": F("stock") - Param("needed"), "updated_at": Param("now", DateTimeField())},
        )
    )
    later = WHEN + dt.timedelta(days=1)

    with CaptureQueriesContext(connection) as captured:
        assert take.run({"id": first.pk, "needed": 5, "now": later}) == 1
        assert take.run({"id": second.pk, "needed": 7, "now": later}) == 0
    assert [query["sql"].split(" ")[0] for query in captured] == ["UPDATE", "UPDATE"]
    assert list(Product.objects.order_by("pk").values_list("stock", "updated_at")) == [
        (0, later),
        (6, WHEN),
    ]


def test_a_row_shape_arranges_columns_and_derived_fields_in_its_order():
    shape = RowShape(Product, "id", "label", "stock", derived=["label"])
    assert shape.columns == ("id", "stock")
    assert shape.arrange({"stock": 3, "label": "x", "id": 1, "other": 0}) == {
        "id": 1,
        "label": "x",
        "stock": 3,
    }
