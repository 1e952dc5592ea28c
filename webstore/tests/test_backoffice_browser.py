"""The back office in a real browser (headless Debian Chromium driven by Playwright) against a
live server: a shop assistant logs in after `seed_demo`, reads the dashboard, follows "to ship"
to the orders behind it and marks the demo's rejected payment reviewed. The dashboard's
screenshot is written to reports/backoffice-dashboard.png."""

import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from inventory.tests.test_browser import browser_page  # noqa: F401 (a fixture)
from orders.models import Order
from payments.models import Payment

PASSWORD = "clerk-browser-password-1"
SCREENSHOT = Path(__file__).resolve().parents[2] / "reports" / "backoffice-dashboard.png"
# What `seed_demo` makes, as the dashboard shows it: five orders placed today (two pending, one
# of them a cart of three products, one paid, one shipped, one canceled), revenue from the paid
# 3 x 24.90 and the shipped 2 x 249.50, three demo products at or below their reorder level
# and one rejected payment.
SEEDED_FIGURES = {
    "orders_today": "5",
    "pending_orders": "2",
    "paid_orders": "1",
    "revenue_today": "573.70",
    "revenue_7d": "573.70",
    "low_stock": "3",
    "payments_to_review": "1",
}


@pytest.fixture
def store_staff_group(transactional_db) -> Group:
    # Transactional tests flush the tables between tests, taking the data migrations' group and
    # permissions with them; run those migrations' own code again to get the real group back.
    group_migration = importlib.import_module("orders.migrations.0002_store_staff_group")
    group_migration.group_create(django_apps, schema_editor=None)
    payments_migration = importlib.import_module(
        "payments.migrations.0003_store_staff_review_payments"
    )
    payments_migration.permissions_grant(django_apps, schema_editor=None)
    return Group.objects.get(name=group_migration.GROUP_NAME)


def figures(page) -> dict[str, str]:
    return {
        metric: page.locator(f'#store-dashboard [data-metric="{metric}"]').inner_text()
        for metric in SEEDED_FIGURES
    }


@pytest.mark.django_db(transaction=True)
def test_shop_assistant_works_through_the_dashboard(
    live_server,
    store_staff_group,
    browser_page,  # noqa: F811 (the fixture imported above)
):
    call_command("seed_demo", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))  # noqa: SIM115
    clerk = User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    clerk.groups.add(store_staff_group)
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    expect(page.locator("#site-name")).to_have_text("Orders & Inventory")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#store-dashboard")).to_be_visible()
    assert page.title() == "Orders & Inventory back office | Orders & Inventory"
    assert figures(page) == SEEDED_FIGURES
    # The same figures read back from the database.
    paid_or_shipped = Order.objects.filter(status__in=["PAID", "SHIPPED"])
    assert sum(order.total_price for order in paid_or_shipped) == Decimal("573.70")
    assert Payment.objects.filter(outcome="rejected", reviewed_at__isnull=True).count() == 1
    expect(page.locator("#store-dashboard svg.bar-line-chart rect")).to_have_count(14)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.click('#store-dashboard a:has([data-metric="paid_orders"])')
    expect(page).to_have_url(f"{live_server.url}/admin/orders/order/?status__exact=PAID")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("DEMO-MOUSE")
    expect(rows.first).to_contain_text("Paid")

    page.goto(f"{live_server.url}/admin/")
    page.click('#store-dashboard a:has([data-metric="payments_to_review"])')
    expect(page).to_have_url(f"{live_server.url}/admin/payments/payment/?reviewed=no")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("demo-payment-short")
    expect(rows.first).to_contain_text("to review")
    rows.first.locator("input.action-select").check()
    page.select_option("select[name=action]", "mark_reviewed")
    page.click("button[name=index]")
    expect(page.locator("ul.messagelist")).to_contain_text("1 payment marked reviewed.")
    expect(page.locator("#result_list tbody tr")).to_have_count(0)

    page.goto(f"{live_server.url}/admin/payments/payment/?reviewed=yes")
    expect(rows.first).to_contain_text("reviewed by clerk")
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator('[data-metric="payments_to_review"]')).to_have_text("0")

    payment = Payment.objects.get(event_id="demo-payment-short")
    assert (payment.reviewed_by, payment.reviewed_at is not None) == ("clerk", True)
