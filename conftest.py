"""Fixtures shared by every app's tests."""

import io
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from itertools import count
from threading import Barrier

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client, override_settings
from rest_framework.test import APIClient

from inventory.models import Product
from inventory.services import product_create
from orders.models import Order
from orders.services import OrderLine, order_place, order_status_update
from payments.models import PAYMENT_SUCCEEDED, Payment
from payments.services import payment_event_receive
from webstore.observability.logs import structured_formatter

_sku_numbers = count(1)
_event_numbers = count(1)


@pytest.fixture(autouse=True, scope="session")
def _plain_static_storage():
    # The manifest storage needs `collectstatic` output, a deploy artifact tests do not build.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # Production-strength hashing costs a second per staff user on a small machine.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def make_product(db):
    """Creates a product through the service (so its ledger starts right)."""

    def make(*, sku=None, name="Widget", price="19.99", stock=10) -> Product:
        return product_create(
            sku=sku or f"SKU-{next(_sku_numbers):05d}", name=name, price=Decimal(price), stock=stock
        )

    return make


@pytest.fixture
def product(make_product) -> Product:
    return make_product(sku="PROD-001", name="Laptop", price="999.99", stock=50)


@pytest.fixture
def make_order(db):
    """Places `quantity` × `product`, or a cart of `items` [(product, quantity), ...], through
    order_place, then walks the order to `status`."""

    def make(
        product: Product | None = None,
        *,
        quantity=1,
        status=Order.Status.PENDING,
        items: list[tuple[Product, int]] | None = None,
    ) -> Order:
        lines = items if items is not None else [(product, quantity)]
        order = order_place(items=[OrderLine(p.pk, q) for p, q in lines])
        path = {
            Order.Status.PENDING: [],
            Order.Status.PAID: [Order.Status.PAID],
            Order.Status.SHIPPED: [Order.Status.PAID, Order.Status.SHIPPED],
            Order.Status.CANCELED: [Order.Status.CANCELED],
        }[status]
        for step in path:
            order = order_status_update(order_id=order.pk, status=step)
        return order

    return make


@pytest.fixture
def make_rejected_payment(db):
    """Records a rejected payment for an order through the webhook's own service: a wrong
    amount for a PENDING order, "not payable" for any other."""

    def make(order: Order) -> Payment:
        result = payment_event_receive(
            event_id=f"evt-rejected-{next(_event_numbers)}",
            event=PAYMENT_SUCCEEDED,
            order_id=order.pk,
            amount=order.total_price + 1,
            currency="USD",
            payload="{}",
        )
        assert result.payment.outcome == Payment.Outcome.REJECTED
        return result.payment

    return make


@pytest.fixture
def json_log():
    """Captures every log line as the production JSON formatter writes it; call to parse them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(structured_formatter("json"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


STAFF_PASSWORD = "staff-test-password-1"


@pytest.fixture
def staff_user(db) -> User:
    """A shop assistant: staff, in the "store staff" group made by the data migration."""
    user = User.objects.create_user("clerk", password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="store staff"))
    return user


@pytest.fixture
def staff_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def run_together():
    """Runs calls at the same moment, each on its own thread with its own database connection.

    Each call gets a fresh APIClient; returns their results in order. For races against the real
    database (use with `django_db(transaction=True)`).
    """

    def run_all(calls):
        barrier = Barrier(len(calls))

        def run(call):
            try:
                barrier.wait()
                return call(APIClient())
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            return list(pool.map(run, calls))

    return run_all
