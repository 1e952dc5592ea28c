"""The staff admin lists webhook events read-only and filters them by outcome."""

import pytest

from payments.models import Payment
from payments.tests.conftest import paid_event

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/payments/payment/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # admin_client hashes a password per test; the production hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def events(post_webhook, make_product, make_order):
    """One succeeded, one rejected and one ignored event."""
    product = make_product(price="50.00", stock=10)
    paid, short, failed = (make_order(product, quantity=2) for _ in range(3))
    assert post_webhook(paid_event(paid.pk), event_id="evt_ok").status_code == 200
    assert post_webhook(paid_event(short.pk, amount=90.0), event_id="evt_short").status_code == 409
    assert (
        post_webhook(
            {"event": "payment.failed", "order_id": failed.pk}, event_id="evt_failed"
        ).status_code
        == 200
    )
    return {payment.event_id: payment for payment in Payment.objects.all()}


def listed_event_ids(response) -> set[str]:
    return {row.event_id for row in response.context["cl"].result_list}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"evt_ok", "evt_short", "evt_failed"}),
        ("?outcome__exact=rejected", {"evt_short"}),
        ("?outcome__exact=succeeded", {"evt_ok"}),
        ("?outcome__exact=ignored", {"evt_failed"}),
        ("?reason__exact=amount_mismatch", {"evt_short"}),
        ("?q=evt_short", {"evt_short"}),
        ("?q=not-a-number", set()),
    ],
)
def test_changelist_filters_by_outcome(admin_client, events, query, expected):
    response = admin_client.get(CHANGELIST + query)
    assert response.status_code == 200
    assert listed_event_ids(response) == expected


def test_search_by_order_id(admin_client, events):
    order_id = events["evt_short"].order_id
    response = admin_client.get(f"{CHANGELIST}?q={order_id}")
    assert listed_event_ids(response) == {"evt_short"}


def test_events_are_read_only(admin_client, events):
    payment = events["evt_short"]
    detail = admin_client.get(f"{CHANGELIST}{payment.pk}/change/")
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "evt_short" in html and "amount_mismatch" not in html  # shown by its label
    assert "Amount or currency mismatch" in html
    assert 'name="_save"' not in html
    assert admin_client.get(CHANGELIST + "add/").status_code == 403
    assert (
        admin_client.post(f"{CHANGELIST}{payment.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert (
        admin_client.post(f"{CHANGELIST}{payment.pk}/change/", {"outcome": "succeeded"}).status_code
        == 403
    )
    assert Payment.objects.get(pk=payment.pk).outcome == "rejected"
    assert Payment.objects.count() == 3
