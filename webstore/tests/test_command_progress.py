"""Long management commands report progress on stderr (stdout keeps their result) and end with
a summary line."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper
from django.utils import timezone

from inventory.models import Product
from orders.models import Order
from webstore.backoffice.progress import Progress
from webstore.idempotency.models import IdempotencyRecord
from webstore.idempotency.services import idempotency_purge_expired

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[list[str], list[str]]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue().splitlines()


def finished(line: str, label: str, done: int, total: int) -> bool:
    return (
        re.fullmatch(rf"{re.escape(label)}: {done}/{total} \(100%\) in \d+\.\d s", line) is not None
    )


def test_seed_demo():
    out, err = run("seed_demo")
    assert err[0] == "Seeding demo data (catalog, orders, payments): 0/3 (0%)"
    assert finished(err[-1], "Seeding demo data (catalog, orders, payments)", 3, 3)
    assert out == [
        "Demo data: 8 product(s) created, 5 order(s) placed.",
        "Demo payments: 1 rejected payment(s) recorded for review.",
    ]


def test_cancel_stale_orders(product, make_order):
    orders = [make_order(product) for _ in range(3)]
    Order.objects.update(created_at=timezone.now() - timedelta(days=2))
    out, err = run("cancel_stale_orders")
    assert err[0] == "Canceling stale orders: 1/3 (33%)"
    assert finished(err[-1], "Canceling stale orders", 3, 3)
    assert out == [f"Canceled 3 order(s): {', '.join(str(order.pk) for order in orders)}."]


def test_check_stock_ledger_in_batches(make_product, monkeypatch):
    monkeypatch.setattr("inventory.management.commands.check_stock_ledger.BATCH_SIZE", 2)
    products = [make_product(stock=3) for _ in range(5)]
    out, err = run("check_stock_ledger")
    assert err[0] == "Checking products: 0/5 (0%)"
    assert finished(err[-1], "Checking products", 5, 5)
    assert out == ["Stock ledger OK: 5 product(s) checked."]
    Product.objects.filter(pk__in=[products[1].pk, products[4].pk]).update(stock=9)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"^Stock ledger mismatch for 2 product\(s\)\.$"):
        call_command("check_stock_ledger", stdout=out, stderr=err)
    assert [line.split()[0] for line in out.getvalue().splitlines()] == [
        f"id={products[1].pk}",
        f"id={products[4].pk}",
    ]
    assert finished(err.getvalue().splitlines()[-1], "Checking products", 5, 5)


@pytest.mark.parametrize("output", ["table", "csv"])
def test_low_stock_report(make_product, output):
    make_product(sku="LOW-1", stock=1)
    make_product(sku="LOW-2", stock=0)
    make_product(sku="PLENTY", stock=50)
    out, err = run("low_stock_report", "--format", output)
    assert err[0] == "Reading products: 0/2 (0%)"
    assert finished(err[1], "Reading products", 2, 2)
    summary = "2 product(s) at or below their reorder level."
    if output == "csv":
        assert out == ["sku,name,stock,reorder_level", "LOW-2,Widget,0,5", "LOW-1,Widget,1,5"]
        assert err[2:] == [summary]
    else:
        assert out[-1] == summary
        assert err[2:] == []


def expired_keys(count: int) -> None:
    expired = timezone.now() - timedelta(seconds=1)
    IdempotencyRecord.objects.bulk_create(
        IdempotencyRecord(scope="test", key=f"k-{n}", request_fingerprint="f", expires_at=expired)
        for n in range(count)
    )


def test_purge_idempotency_keys():
    expired_keys(5)
    out, err = run("purge_idempotency_keys")
    assert err[0] == "Purging expired idempotency keys: 5/5 (100%)"
    assert finished(err[-1], "Purging expired idempotency keys", 5, 5)
    assert out == ["Purged 5 expired idempotency key(s)."]
    assert not IdempotencyRecord.objects.exists()


def test_expired_keys_are_purged_in_batches():
    expired_keys(5)
    IdempotencyRecord.objects.create(
        scope="test",
        key="live",
        request_fingerprint="f",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    reports = []
    deleted = idempotency_purge_expired(
        batch_size=2, progress=lambda done, total: reports.append((done, total))
    )
    assert (deleted, reports) == (5, [(2, 5), (4, 5), (5, 5)])
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["live"]


def test_progress_is_written_at_most_once_per_interval(monkeypatch):
    clock = iter([0.0, 0.0, 0.4, 0.9, 1.1, 1.5, 2.6, 3.0])
    monkeypatch.setattr("webstore.backoffice.progress.time.monotonic", lambda: next(clock))
    stream = StringIO()
    progress = Progress(OutputWrapper(stream), "Working")
    for done in range(1, 7):
        progress.update(done, 6)
    progress.finish()
    assert stream.getvalue().splitlines() == [
        "Working: 1/6 (16%)",
        "Working: 4/6 (66%)",
        "Working: 6/6 (100%)",
        "Working: 6/6 (100%) in 3.0 s",
    ]
