"""Signature checks: tampering, secrets and their rotation, and the timestamped scheme."""

import json
import time

import pytest

from payments.exceptions import InvalidWebhookSignature
from payments.models import Payment
from payments.signatures import webhook_signature, webhook_signature_verify
from payments.tests.conftest import OMIT, SECRET, paid_event

pytestmark = pytest.mark.django_db

INVALID = {"detail": "Invalid webhook signature"}


def assert_refused(response):
    assert response.status_code == 401
    assert response.json() == INVALID
    assert not Payment.objects.exists()


def test_tampered_body_is_refused(post_webhook, pending_order):
    signed = json.dumps(paid_event(pending_order.pk, amount=1.0)).encode()
    tampered = signed.replace(b"1.0", b"100.0")
    assert_refused(post_webhook(tampered, signature=webhook_signature(body=signed, secret=SECRET)))


def test_reencoded_body_is_refused(post_webhook, pending_order):
    # Same JSON value, different bytes: the signature covers the raw body, not its meaning.
    payload = paid_event(pending_order.pk)
    signed = json.dumps(payload).encode()
    reencoded = json.dumps(payload, separators=(",", ":")).encode()
    assert_refused(post_webhook(reencoded, signature=webhook_signature(body=signed, secret=SECRET)))


@pytest.mark.parametrize(
    "transform",
    [lambda s: s, lambda s: "sha256=" + s, lambda s: "SHA256=" + s.upper(), lambda s: f" {s} "],
    ids=["bare", "prefixed", "upper-case", "padded"],
)
def test_signature_notations_accepted(post_webhook, pending_order, transform):
    body = json.dumps(paid_event(pending_order.pk)).encode()
    response = post_webhook(body, signature=transform(webhook_signature(body=body, secret=SECRET)))
    assert response.status_code == 200, response.content


def test_a_failed_signature_does_not_consume_the_event_id(post_webhook, pending_order):
    assert_refused(post_webhook(paid_event(pending_order.pk), secret="wrong", event_id="evt_keep"))
    response = post_webhook(paid_event(pending_order.pk), event_id="evt_keep")
    assert response.status_code == 200


@pytest.mark.parametrize("secret", ["whsec-new", "whsec-old"])
def test_every_rotated_secret_verifies(settings, post_webhook, pending_order, secret):
    settings.WEBHOOK_SECRET = "whsec-new, whsec-old"
    response = post_webhook(paid_event(pending_order.pk), secret=secret)
    assert response.status_code == 200, response.content


def test_a_secret_outside_the_rotation_is_refused(settings, post_webhook, pending_order):
    settings.WEBHOOK_SECRET = "whsec-new,whsec-old"
    assert_refused(post_webhook(paid_event(pending_order.pk), secret="whsec-older"))


def test_blank_entries_in_the_secret_list_never_verify(settings, post_webhook, pending_order):
    # "a,,b" or a trailing comma must not turn the empty string into a valid key.
    settings.WEBHOOK_SECRET = "whsec-new,, ,"
    for secret in ("", " "):
        assert_refused(post_webhook(paid_event(pending_order.pk), secret=secret))


# --- the timestamped scheme -------------------------------------------------------------------


def test_fresh_timestamped_signature_is_accepted(post_webhook, pending_order):
    response = post_webhook(paid_event(pending_order.pk), timestamp=int(time.time()))
    assert response.status_code == 200, response.content
    assert response.json()["order_status"] == "PAID"


@pytest.mark.parametrize("age", [3600, -3600], ids=["stale", "future"])
def test_timestamp_outside_the_tolerance_is_refused(post_webhook, pending_order, age):
    assert_refused(post_webhook(paid_event(pending_order.pk), timestamp=int(time.time()) - age))


def test_tolerance_is_configurable(settings, post_webhook, pending_order):
    settings.WEBHOOK_TOLERANCE_SECONDS = 5
    assert_refused(post_webhook(paid_event(pending_order.pk), timestamp=int(time.time()) - 120))


def test_timestamp_not_covered_by_the_signature_is_refused(post_webhook, pending_order):
    body = json.dumps(paid_event(pending_order.pk)).encode()
    body_only = webhook_signature(body=body, secret=SECRET)
    assert_refused(post_webhook(body, timestamp=int(time.time()), signature=body_only))


def test_changed_timestamp_is_refused(post_webhook, pending_order):
    body = json.dumps(paid_event(pending_order.pk)).encode()
    now = int(time.time())
    signature = webhook_signature(body=body, secret=SECRET, timestamp=str(now))
    assert_refused(post_webhook(body, timestamp=now - 1, signature=signature))


def test_stripped_timestamp_is_refused(post_webhook, pending_order):
    body = json.dumps(paid_event(pending_order.pk)).encode()
    signature = webhook_signature(body=body, secret=SECRET, timestamp=str(int(time.time())))
    assert_refused(post_webhook(body, timestamp=OMIT, signature=signature))


@pytest.mark.parametrize("timestamp", ["", "abc", "1.5", "-5", "9" * 40, "١٢٣"])
def test_malformed_timestamp_is_refused_even_if_signed(post_webhook, pending_order, timestamp):
    body = json.dumps(paid_event(pending_order.pk)).encode()
    signature = webhook_signature(body=body, secret=SECRET, timestamp=timestamp)
    assert_refused(post_webhook(body, timestamp=timestamp, signature=signature))


@pytest.mark.parametrize(
    "offset, accepted", [(0, True), (300, True), (-300, True), (301, False), (-301, False)]
)
def test_tolerance_boundary(offset, accepted):
    body = b"{}"
    now = 1_800_000_000
    timestamp = str(now + offset)
    signature = webhook_signature(body=body, secret=SECRET, timestamp=timestamp)
    verify = lambda: webhook_signature_verify(  # noqa: E731
        body=body, signature=signature, timestamp=timestamp, now=now
    )
    if accepted:
        verify()
    else:
        with pytest.raises(InvalidWebhookSignature):
            verify()
