"""Database-level rules: constraints hold even for writes that bypass the services."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from inventory.models import Product, StockMovement


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"price": Decimal("0")},
        {"price": Decimal("-1.00")},
        {"stock": -1},
    ],
    ids=["price-zero", "price-negative", "stock-negative"],
)
def test_check_constraints_reject_bad_rows(fields):
    values = {"sku": "X-1", "name": "X", "price": Decimal("1.00"), "stock": 0, **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(**values)
    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_live_sku_is_unique_but_archived_sku_is_reusable():
    first = Product.objects.create(sku="DUP", name="A", price=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(sku="DUP", name="B", price=Decimal("1.00"))
    first.archived_at = timezone.now()
    first.save()
    second = Product.objects.create(sku="DUP", name="B", price=Decimal("1.00"))
    assert Product.objects.filter(sku="DUP").count() == 2
    assert list(Product.objects.live().filter(sku="DUP")) == [second]


@pytest.mark.django_db
def test_an_order_restocks_at_most_once_in_the_ledger(product):
    StockMovement.objects.create(product=product, delta=1, reason="order_canceled", order_id=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(product=product, delta=1, reason="order_canceled", order_id=7)
    assert StockMovement.objects.filter(order_id=7).count() == 1


@pytest.mark.django_db
def test_stock_querysets_say_what_they_select(make_product):
    """`in_stock` is the API's stock > 0; the reorder level splits it for staff."""
    out = make_product(stock=0)
    low = make_product(stock=3)
    plenty = make_product(stock=30)
    Product.objects.filter(pk__in=[low.pk, plenty.pk]).update(reorder_level=5)
    archived = make_product(stock=30)
    Product.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    selected = {
        name: set(getattr(Product.objects, name)().values_list("pk", flat=True))
        for name in [
            "in_stock",
            "out_of_stock",
            "above_reorder_level",
            "low_stock",
            "at_or_below_reorder_level",
            "archived",
        ]
    }
    assert selected == {
        "in_stock": {low.pk, plenty.pk},
        "out_of_stock": {out.pk},
        "above_reorder_level": {plenty.pk},
        "low_stock": {low.pk},
        "at_or_below_reorder_level": {out.pk, low.pk},
        "archived": {archived.pk},
    }


@pytest.mark.parametrize("reason", ["order_placed", "order_canceled"])
def test_an_order_of_several_products_moves_each_products_stock_once(make_product, reason):
    first, second = make_product(), make_product()
    for product in (first, second):
        StockMovement.objects.create(product=product, delta=1, reason=reason, order_id=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(product=second, delta=1, reason=reason, order_id=7)
    assert sorted(
        StockMovement.objects.filter(order_id=7).values_list("product_id", flat=True)
    ) == [
        first.pk,
        second.pk,
    ]
