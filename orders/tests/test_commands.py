"""seed_demo and cancel_stale_orders: output, effect read back, and races with live traffic."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from io import StringIO
from threading import Barrier, Event

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from rest_framework.test import APIClient

from inventory.models import Product, StockMovement
from inventory.services import product_archive
from orders.models import Order


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def age(orders, *, hours: int) -> None:
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )


def assert_ledger_matches(product: Product) -> None:
    product.refresh_from_db()
    assert product.stock == product.movements.aggregate(total=Sum("delta"))["total"]


# --- seed_demo ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_creates_catalog_and_orders_through_the_services():
    assert run("seed_demo") == (
        "Demo data: 8 product(s) created, 5 order(s) placed.\n"
        "Demo payments: 1 rejected payment(s) recorded for review.\n"
    )
    assert Product.objects.filter(sku__startswith="DEMO-").count() == 8
    orders = Order.objects.order_by("pk")
    assert [
        (order.status, [(i.product.sku, i.quantity) for i in order.item_list]) for order in orders
    ] == [
        ("PENDING", [("DEMO-LAPTOP", 1)]),
        ("PAID", [("DEMO-MOUSE", 3)]),
        ("SHIPPED", [("DEMO-MONITOR", 2)]),
        ("CANCELED", [("DEMO-CABLE", 5)]),
        ("PENDING", [("DEMO-DOCK", 1), ("DEMO-KEYBOARD", 1), ("DEMO-HEADSET", 1)]),
    ]
    assert Product.objects.get(sku="DEMO-MOUSE").stock == 117
    assert Product.objects.get(sku="DEMO-CABLE").stock == 300
    assert Product.objects.get(sku="DEMO-DOCK").stock == 7
    assert set(StockMovement.objects.values_list("actor", flat=True)) == {"seed_demo"}
    for product in Product.objects.all():
        assert_ledger_matches(product)
    assert run("low_stock_report", "--format", "csv").splitlines()[1:] == [
        "DEMO-WEBCAM,HD webcam,0,5",
        "DEMO-HEADSET,Headset with microphone,1,5",
        "DEMO-KEYBOARD,Mechanical keyboard,3,5",
    ]


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    run("seed_demo")
    products, orders, movements = (
        Product.objects.count(),
        Order.objects.count(),
        StockMovement.objects.count(),
    )
    assert run("seed_demo") == (
        "Demo data: 0 product(s) created, 0 order(s) placed.\n"
        "Demo payments: 0 rejected payment(s) recorded for review.\n"
    )
    assert (Product.objects.count(), Order.objects.count(), StockMovement.objects.count()) == (
        products,
        orders,
        movements,
    )


@pytest.mark.django_db
def test_seed_demo_fills_in_only_what_is_missing(make_product):
    make_product(sku="DEMO-LAPTOP", name="My own laptop", stock=3)
    product_archive(product_id=make_product(sku="DEMO-WEBCAM").pk)
    assert run("seed_demo") == (
        "Demo data: 7 product(s) created, 5 order(s) placed.\n"
        "Demo payments: 1 rejected payment(s) recorded for review.\n"
    )
    assert Product.objects.live().get(sku="DEMO-LAPTOP").name == "My own laptop"
    assert Product.objects.filter(sku="DEMO-WEBCAM").count() == 2


@pytest.mark.django_db
def test_seed_demo_skips_a_cart_whose_product_already_has_orders(make_product, make_order):
    make_order(make_product(sku="DEMO-KEYBOARD", stock=10), quantity=2)
    assert run("seed_demo") == (
        "Demo data: 7 product(s) created, 4 order(s) placed.\n"
        "Demo payments: 1 rejected payment(s) recorded for review.\n"
    )
    assert not Order.objects.filter(items__product__sku="DEMO-DOCK").exists()
    assert Product.objects.get(sku="DEMO-KEYBOARD").stock == 8


# --- cancel_stale_orders ------------------------------------------------------------------


@pytest.fixture
def stale_setup(product, make_order):
    """Two stale PENDING orders, a fresh PENDING one, and a stale PAID one."""
    stale = [make_order(product, quantity=2), make_order(product, quantity=3)]
    fresh = make_order(product, quantity=1)
    paid = make_order(product, quantity=4, status=Order.Status.PAID)
    age([*stale, paid], hours=25)
    return {"stale": stale, "fresh": fresh, "paid": paid}


@pytest.mark.django_db
def test_cancel_stale_orders_cancels_old_pending_orders_and_restocks(product, stale_setup):
    stale = stale_setup["stale"]
    out = run("cancel_stale_orders", "--older-than", "24h")
    assert out == f"Canceled 2 order(s): {stale[0].pk}, {stale[1].pk}.\n"
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert [statuses[o.pk] for o in stale] == ["CANCELED", "CANCELED"]
    assert statuses[stale_setup["fresh"].pk] == "PENDING"
    assert statuses[stale_setup["paid"].pk] == "PAID"
    product.refresh_from_db()
    assert product.stock == 50 - 1 - 4
    restocks = StockMovement.objects.filter(reason="order_canceled")
    assert sorted(restocks.values_list("order_id", "delta", "actor")) == [
        (stale[0].pk, 2, "cancel_stale_orders"),
        (stale[1].pk, 3, "cancel_stale_orders"),
    ]
    assert_ledger_matches(product)
    assert run("cancel_stale_orders", "--older-than", "24h") == "Canceled 0 order(s): none.\n"


@pytest.mark.django_db
def test_cancel_stale_orders_dry_run_changes_nothing(product, stale_setup):
    stale = stale_setup["stale"]
    movements = StockMovement.objects.count()
    out = run("cancel_stale_orders", "--older-than", "24h", "--dry-run")
    assert out == f"Dry run: 2 order(s) would be canceled: {stale[0].pk}, {stale[1].pk}.\n"
    assert Order.objects.filter(status="PENDING").count() == 3
    assert StockMovement.objects.count() == movements
    product.refresh_from_db()
    assert product.stock == 50 - 2 - 3 - 1 - 4


@pytest.mark.django_db
def test_cancel_stale_orders_default_age_is_24_hours(stale_setup):
    age([stale_setup["fresh"]], hours=23)
    out = run("cancel_stale_orders", "--dry-run")
    assert out == (
        f"Dry run: 2 order(s) would be canceled: "
        f"{stale_setup['stale'][0].pk}, {stale_setup['stale'][1].pk}.\n"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "ids"),
    [("30m", "all pending"), ("2d", "none"), ("90s", "all pending"), ("36500d", "none")],
)
def test_cancel_stale_orders_age_units(product, make_order, text, ids):
    orders = [make_order(product), make_order(product)]
    age(orders, hours=1)
    expected = ", ".join(str(o.pk) for o in orders) if ids == "all pending" else "none"
    count = 2 if ids == "all pending" else 0
    assert run("cancel_stale_orders", "--older-than", text, "--dry-run") == (
        f"Dry run: {count} order(s) would be canceled: {expected}.\n"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["24", "0h", "-1h", "1w", "h", "1.5h", "36501d", "999999999d", "9999999999d", ""]
)
def test_cancel_stale_orders_rejects_bad_ages(stale_setup, text):
    with pytest.raises(CommandError, match="--older-than: expected a positive age up to 36500d"):
        call_command("cancel_stale_orders", f"--older-than={text}")
    assert Order.objects.filter(status="PENDING").count() == 3


# Races: real threads, each with its own connection, on SQLite and PostgreSQL alike.


@pytest.mark.django_db(transaction=True)
def test_cancel_stale_orders_skips_orders_locked_by_a_live_request(product, make_order):
    orders = [make_order(product, quantity=2) for _ in range(3)]
    age(orders, hours=48)
    busy = orders[1]
    locked, release = Event(), Event()

    def live_request_holding_the_row():
        try:
            with transaction.atomic():
                Order.objects.select_for_update().get(pk=busy.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def command_in_thread():
        try:
            return run("cancel_stale_orders", "--older-than", "24h")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        holder = pool.submit(live_request_holding_the_row)
        assert locked.wait(timeout=30)
        if connection.features.has_select_for_update_skip_locked:
            # PostgreSQL: the busy row is skipped at once, left for the next run.
            out = run("cancel_stale_orders", "--older-than", "24h")
            release.set()
            holder.result()
            assert out == (
                f"Canceled 2 order(s): {orders[0].pk}, {orders[2].pk}.\n"
                f"Skipped 1 (busy or no longer pending): {busy.pk}.\n"
            )
            assert Order.objects.get(pk=busy.pk).status == "PENDING"
            assert run("cancel_stale_orders", "--older-than", "24h") == (
                f"Canceled 1 order(s): {busy.pk}.\n"
            )
        else:
            # SQLite has no row locks: the holder owns the write lock and the command queues
            # behind it (busy timeout), then cancels everything.
            runner = pool.submit(command_in_thread)
            release.set()
            holder.result()
            assert runner.result() == (
                f"Canceled 3 order(s): {orders[0].pk}, {orders[1].pk}, {orders[2].pk}.\n"
            )
    assert Order.objects.filter(status="CANCELED").count() == 3
    product.refresh_from_db()
    assert product.stock == 50
    assert_ledger_matches(product)


@pytest.mark.django_db(transaction=True)
def test_cancel_stale_orders_racing_api_cancels_and_itself_restocks_each_order_once(
    product, make_order
):
    orders = [make_order(product, quantity=1) for _ in range(6)]
    age(orders, hours=48)
    calls = [lambda: run("cancel_stale_orders", "--older-than", "24h")] * 2 + [
        (lambda order_id: lambda: APIClient().delete(f"/orders/{order_id}").status_code)(o.pk)
        for o in orders
    ]
    barrier = Barrier(len(calls))

    def start(call):
        try:
            barrier.wait()
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        results = list(pool.map(start, calls))
    assert set(results[2:]) <= {204, 400}
    assert Order.objects.filter(status="CANCELED").count() == 6
    assert StockMovement.objects.filter(reason="order_canceled").count() == 6
    product.refresh_from_db()
    assert product.stock == 50
    assert_ledger_matches(product)


@pytest.mark.django_db
def test_cancel_stale_orders_restocks_every_item_of_a_stale_cart(make_product, make_order):
    products = [make_product(stock=10) for _ in range(3)]
    cart = make_order(items=[(products[2], 1), (products[0], 2), (products[1], 3)])
    fresh_cart = make_order(items=[(products[0], 1), (products[1], 1)])
    age([cart], hours=25)
    assert run("cancel_stale_orders", "--older-than", "24h") == f"Canceled 1 order(s): {cart.pk}.\n"
    assert [Product.objects.get(pk=p.pk).stock for p in products] == [9, 9, 10]
    restocks = StockMovement.objects.filter(reason="order_canceled")
    assert sorted(restocks.values_list("order_id", "product_id", "delta", "actor")) == [
        (cart.pk, products[0].pk, 2, "cancel_stale_orders"),
        (cart.pk, products[1].pk, 3, "cancel_stale_orders"),
        (cart.pk, products[2].pk, 1, "cancel_stale_orders"),
    ]
    assert Order.objects.get(pk=fresh_cart.pk).status == "PENDING"
    for product in products:
        assert_ledger_matches(product)
