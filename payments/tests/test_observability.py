"""Webhook outcomes: one counter label and one structured log line per delivery."""

import pytest
from prometheus_client import REGISTRY

from payments.tests.conftest import OMIT, paid_event

pytestmark = pytest.mark.django_db


def outcome_count(outcome: str) -> float:
    return REGISTRY.get_sample_value("webstore_webhook_events_total", {"outcome": outcome}) or 0.0


@pytest.mark.parametrize(
    ("delivery", "status", "outcome"),
    [
        (lambda order: (paid_event(order.pk), {}), 200, "succeeded"),
        (lambda order: (paid_event(order.pk, amount=99.0), {}), 409, "rejected"),
        (lambda order: (paid_event(order.pk, event="payment.refunded"), {}), 200, "ignored"),
        (lambda order: (paid_event(order.pk), {"secret": "wrong"}), 401, "invalid_signature"),
        (lambda order: (paid_event(order.pk), {"event_id": OMIT}), 400, "invalid_request"),
        (lambda order: (paid_event(order.pk + 1000), {}), 404, "invalid_request"),
        (lambda order: (b"{not json", {}), 400, "invalid_request"),
    ],
    ids=[
        "paid",
        "amount-mismatch",
        "other-event",
        "bad-signature",
        "no-event-id",
        "no-order",
        "bad-json",
    ],
)
def test_each_webhook_delivery_is_counted_by_outcome(
    post_webhook, pending_order, delivery, status, outcome
):
    payload, header_options = delivery(pending_order)
    before = outcome_count(outcome)
    response = post_webhook(payload, **header_options)
    assert response.status_code == status, response.content
    assert outcome_count(outcome) == before + 1


def test_a_replayed_event_is_counted_as_duplicate(post_webhook, pending_order):
    assert post_webhook(paid_event(pending_order.pk), event_id="evt-1").status_code == 200
    before = outcome_count("duplicate")
    assert post_webhook(paid_event(pending_order.pk), event_id="evt-1").status_code == 400
    assert outcome_count("duplicate") == before + 1


def test_payment_events_are_logged_as_structured_lines(post_webhook, pending_order, json_log):
    paid = post_webhook(paid_event(pending_order.pk, amount=99.0), event_id="evt-short")
    refused = post_webhook(paid_event(pending_order.pk), secret="wrong")
    assert (paid.status_code, refused.status_code) == (409, 401)
    log = json_log()
    [rejected] = [line for line in log if line["event"] == "payment_rejected"]
    assert rejected["request_id"] == paid["X-Request-ID"]
    assert {
        key: rejected[key] for key in ("level", "event_id", "order_id", "reason", "currency")
    } == {
        "level": "warning",
        "event_id": "evt-short",
        "order_id": pending_order.pk,
        "reason": "amount_mismatch",
        "currency": "USD",
    }
    [signature] = [line for line in log if line["event"] == "webhook_signature_refused"]
    assert (signature["level"], signature["request_id"]) == ("warning", refused["X-Request-ID"])
    assert signature["reason"] == "signature does not match"
