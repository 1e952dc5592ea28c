"""Malformed signed deliveries: a 4xx with `detail`, nothing recorded, the event id kept."""

import json

import pytest

from inventory.models import Product, StockMovement
from orders.models import Order
from payments.models import Payment
from payments.tests.conftest import paid_event

pytestmark = pytest.mark.django_db

ORDER = "{order}"

# Raw bodies (bytes) or payloads (dicts; ORDER is replaced by the order's id).
BAD_BODIES = [
    b"",
    b"not json",
    b"{",
    b"[1, 2]",
    b'"just a string"',
    b"null",
    b'{"event": "payment.succeeded", "order_id": 1, "amount": NaN}',
    b'{"event": "payment.succeeded", "order_id": 1, "amount": Infinity}',
    b'{"event": "payment.succeeded", "order_id": 1, "amount": -Infinity}',
    b'{"event": "\xff\xfe", "order_id": 1}',
    '{"event": "payment.failed", "order_id": 1}'.encode("utf-16"),
    b'\xef\xbb\xbf{"event": "payment.failed", "order_id": 1}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"event": "payment.succeeded", "order_id": ' + b"9" * 5000 + b"}",
    {"order_id": ORDER, "amount": 100.0},
    {"event": None, "order_id": ORDER},
    {"event": 123, "order_id": ORDER},
    {"event": "", "order_id": ORDER},
    {"event": "e" * 101, "order_id": ORDER},
    {"event": "payment.succeeded\u0000", "order_id": ORDER, "amount": 100.0},
    {"event": ["payment.succeeded"], "order_id": ORDER},
    {"event": "payment.succeeded", "amount": 100.0},
    {"event": "payment.succeeded", "order_id": None, "amount": 100.0},
    {"event": "payment.succeeded", "order_id": str(ORDER), "amount": 100.0, "_string_id": True},
    {"event": "payment.succeeded", "order_id": 1.0, "amount": 100.0},
    {"event": "payment.succeeded", "order_id": True, "amount": 100.0},
    {"event": "payment.succeeded", "order_id": 0, "amount": 100.0},
    {"event": "payment.succeeded", "order_id": -1, "amount": 100.0},
    {"event": "payment.succeeded", "order_id": 2**64, "amount": 100.0},
    {"event": "payment.succeeded", "order_id": ORDER},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": None},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": "abc"},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": ""},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": True},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": [100]},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": {"value": 100}},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": "100.001"},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": 0},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": -100.0},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": 10**12},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": "1e999"},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": 100.0, "currency": None},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": 100.0, "currency": 840},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": 100.0, "currency": "US"},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": 100.0, "currency": "USDX"},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": 100.0, "currency": "U$D"},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": 100.0, "currency": "ÜSD"},
    {"event": "payment.succeeded", "order_id": ORDER, "amount": 100.0, "color": "red"},
    {"event": "payment.failed", "order_id": ORDER, "amount": "lots"},
]


def body_for(case, order_id: int) -> bytes:
    if isinstance(case, bytes):
        return case
    payload = {key: (order_id if value == ORDER else value) for key, value in case.items()}
    if payload.pop("_string_id", False):
        payload["order_id"] = str(order_id)
    return json.dumps(payload).encode()


def snapshot():
    return (
        list(Order.objects.values()),
        list(Product.objects.values()),
        StockMovement.objects.count(),
        Payment.objects.count(),
    )


@pytest.mark.parametrize("case", BAD_BODIES, ids=lambda case: repr(case)[:60])
def test_bad_body_is_400_records_nothing_and_keeps_the_event_id(post_webhook, pending_order, case):
    before = snapshot()
    response = post_webhook(body_for(case, pending_order.pk), event_id="evt_bad_body")
    assert response.status_code == 400, response.content
    assert "detail" in response.json()
    assert snapshot() == before
    retry = post_webhook(paid_event(pending_order.pk), event_id="evt_bad_body")
    assert retry.status_code == 200


def test_unknown_fields_are_named(post_webhook, pending_order):
    response = post_webhook(paid_event(pending_order.pk, color="red"))
    assert response.status_code == 400
    assert response.json() == {"detail": {"color": ["Unknown field."]}}


def test_amount_with_more_than_two_places_is_refused_not_rounded(post_webhook, pending_order):
    response = post_webhook(
        b'{"event": "payment.succeeded", "order_id": %d, "amount": 100.001}' % pending_order.pk
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": {"amount": ["Ensure that there are no more than 2 decimal places."]}
    }


@pytest.mark.parametrize(
    "event_id",
    # "evt-1,evt-2" is what a repeated X-Event-Id header becomes (found by the reliability group).
    ["e" * 256, "has space", "tab\tin", "bell\x07", "del\x7f", "café", "😀", "evt-1,evt-2"],
)
def test_invalid_event_id_is_400(post_webhook, pending_order, event_id):
    response = post_webhook(paid_event(pending_order.pk), event_id=event_id)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid X-Event-Id header: expected one id of 1 to 255 visible ASCII characters, no commas"
    }
    assert not Payment.objects.exists()


def test_longest_event_id_is_accepted(post_webhook, pending_order):
    event_id = "evt_" + "x" * 251
    response = post_webhook(paid_event(pending_order.pk), event_id=event_id)
    assert response.status_code == 200
    assert Payment.objects.get().event_id == event_id


@pytest.mark.parametrize("signed", [True, False])
def test_body_over_the_size_limit_is_413(settings, post_webhook, pending_order, signed):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = b'{"event": "payment.failed", "order_id": %d, "pad": "%s"}' % (
        pending_order.pk,
        b"x" * 2000,
    )
    response = post_webhook(body, **({} if signed else {"signature": "0" * 64}))
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large (limit 1000 bytes)."}
    assert not Payment.objects.exists()
