"""A store clerk in a real browser (headless Debian Chromium driven by Playwright) against a live
server: log in, find a product, adjust its stock, and see the new stock and the movement."""

import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from inventory.models import Product

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Flags this machine needs: no sandbox as root, and no background traffic to the closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "clerk-browser-password-1"


@pytest.fixture
def browser_page(monkeypatch, tmp_path):
    assert Path(CHROMIUM).is_file(), (
        f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium when run as "
        "root; otherwise run `apt-get install chromium` or set CHROMIUM_PATH."
    )
    # Playwright's sync API runs an event loop in this thread; the test's own database reads
    # happen between its calls, never inside the loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_context().new_page()
            page.set_default_timeout(20_000)
            yield page
        finally:
            browser.close()
            # Queries made while Playwright's loop runs get their own connection (asgiref's
            # context-local); close it, or PostgreSQL cannot drop the test database.
            connections.close_all()


@pytest.fixture
def store_staff_group(transactional_db) -> Group:
    # Transactional tests flush the tables between tests, taking the data migration's group
    # with them; run that migration's own code again to get the real group back.
    migration = importlib.import_module("orders.migrations.0002_store_staff_group")
    migration.group_create(django_apps, schema_editor=None)
    return Group.objects.get(name=migration.GROUP_NAME)


# live_server serves from another thread, so the data must be committed (transaction=True).
@pytest.mark.django_db(transaction=True)
def test_clerk_adjusts_stock_in_the_browser(
    live_server, store_staff_group, make_product, browser_page
):
    clerk = User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    clerk.groups.add(store_staff_group)
    make_product(sku="MUG-1", name="Coffee mug", stock=10)
    make_product(sku="TEA-1", name="Teapot", stock=3)
    page = browser_page

    page.goto(f"{live_server.url}/admin/login/?next=/admin/inventory/product/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#result_list")).to_be_visible()

    page.fill("#searchbar", "mug")
    page.press("#searchbar", "Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.click("#result_list >> text=MUG-1")

    page.click("a.adjust-stock-link")
    expect(page.locator("#current-stock")).to_have_text("10")
    page.check("input[name=mode][value=delta]")
    page.fill("#id_quantity", "5")
    page.select_option("#id_reason", "restock")
    page.fill("#id_note", "delivery 4711")
    page.click("#adjust-stock-form input[type=submit]")

    expect(page.locator("ul.messagelist")).to_contain_text(
        "MUG-1: stock changed by +5 (Restock), now 15."
    )
    expect(page.locator("div.field-stock div.readonly")).to_have_text("15")
    newest = page.locator("table.stock-movements tbody tr").first
    expect(newest).to_contain_text("+5")
    expect(newest).to_contain_text("Restock")
    expect(newest).to_contain_text("clerk")
    expect(newest).to_contain_text("delivery 4711")

    product = Product.objects.get(sku="MUG-1")
    movement = product.movements.first()
    assert (product.stock, movement.delta, movement.reason, movement.actor, movement.note) == (
        15,
        5,
        "restock",
        "clerk",
        "delivery 4711",
    )
