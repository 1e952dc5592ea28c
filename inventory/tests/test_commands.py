"""low_stock_report and check_stock_ledger: output, exit status, and what they read."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inventory.models import Product
from inventory.services import product_archive, product_create, stock_adjust

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stock_levels(make_product):
    make_product(sku="PLENTY", name="Plenty", stock=50)
    make_product(sku="AT-LEVEL", name="At level", stock=5)
    make_product(sku="EMPTY", name="Empty", stock=0)
    product_create(sku="CUSTOM", name="Own level", price=Decimal("2.00"), stock=9, reorder_level=10)
    product_archive(product_id=make_product(sku="GONE", name="Archived", stock=0).pk)


def test_low_stock_report_table_lists_products_at_or_below_their_level(stock_levels):
    assert run("low_stock_report").splitlines() == [
        "sku       name       stock  reorder_level",
        "EMPTY     Empty      0      5",
        "AT-LEVEL  At level   5      5",
        "CUSTOM    Own level  9      10",
        "3 product(s) at or below their reorder level.",
    ]


def test_low_stock_report_csv(stock_levels):
    assert run("low_stock_report", "--format", "csv") == (
        "sku,name,stock,reorder_level\n"
        "EMPTY,Empty,0,5\n"
        "AT-LEVEL,At level,5,5\n"
        "CUSTOM,Own level,9,10\n"
    )


def test_low_stock_report_when_nothing_is_low(make_product):
    make_product(stock=50)
    assert run("low_stock_report") == "No products at or below their reorder level.\n"
    assert run("low_stock_report", "--format", "csv") == "sku,name,stock,reorder_level\n"


def test_low_stock_report_rejects_an_unknown_format():
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        call_command("low_stock_report", "--format", "xml")


def test_check_stock_ledger_passes_when_every_change_is_recorded(product, make_order):
    make_order(product, quantity=3)
    stock_adjust(product_id=product.pk, delta=-1, reason="adjustment")
    assert run("check_stock_ledger") == "Stock ledger OK: 1 product(s) checked.\n"


def test_check_stock_ledger_lists_mismatches_and_fails(product, make_product):
    silent = make_product(sku="SILENT", stock=4)
    Product.objects.filter(pk=silent.pk).update(stock=7)  # a change that bypassed the ledger
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("check_stock_ledger", stdout=out)
    assert failure.value.returncode == 1
    assert str(failure.value) == "Stock ledger mismatch for 1 product(s)."
    assert out.getvalue() == f"id={silent.pk} sku=SILENT stock=7 ledger=4 difference=+3\n"


def test_check_stock_ledger_counts_a_product_without_movements_as_zero(product):
    product.movements.all().delete()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_stock_ledger", stdout=out)
    assert out.getvalue() == f"id={product.pk} sku=PROD-001 stock=50 ledger=0 difference=+50\n"


def test_check_stock_ledger_passes_with_carts_placed_and_canceled(make_product, make_order):
    products = [make_product(stock=10) for _ in range(3)]
    make_order(items=[(products[2], 1), (products[0], 4)])
    make_order(items=[(p, 2) for p in products], status="CANCELED")
    make_order(items=[(products[1], 3), (products[2], 3)], status="SHIPPED")
    assert run("check_stock_ledger") == "Stock ledger OK: 3 product(s) checked.\n"
    assert [Product.objects.get(pk=p.pk).stock for p in products] == [6, 7, 6]


def test_check_stock_ledger_names_the_one_product_of_a_cart_that_drifted(make_product, make_order):
    products = [make_product(stock=10) for _ in range(3)]
    make_order(items=[(p, 1) for p in products])
    Product.objects.filter(pk=products[1].pk).update(stock=8)  # bypassed the ledger
    out = StringIO()
    with pytest.raises(CommandError, match=r"mismatch for 1 product\(s\)"):
        call_command("check_stock_ledger", stdout=out)
    assert out.getvalue() == (
        f"id={products[1].pk} sku={products[1].sku} stock=8 ledger=9 difference=-1\n"
    )
