"""Fixtures for the webhook tests: a known secret, a 100.00 order, and a signed poster."""

import json
import uuid

import pytest

from payments.signatures import webhook_signature

SECRET = "whsec-test-current"
URL = "/webhooks/payment"
# Marks a header to leave out of the request entirely.
OMIT = object()


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.WEBHOOK_SECRET = SECRET
    settings.STORE_CURRENCY = "USD"
    settings.WEBHOOK_TOLERANCE_SECONDS = 300


@pytest.fixture
def pending_order(make_product, make_order):
    """A PENDING order of 2 × 50.00 = 100.00 from a product with 10 in stock (8 left)."""
    return make_order(make_product(price="50.00", stock=10), quantity=2)


def paid_event(order_id: int, amount=100.0, **fields) -> dict:
    return {
        "event": "payment.succeeded",
        "order_id": order_id,
        "amount": amount,
        "currency": "USD",
        **fields,
    }


def webhook_headers(
    body: bytes, *, secret=SECRET, event_id=None, signature=None, timestamp=OMIT
) -> dict:
    """WSGI headers for a signed delivery; pass OMIT to leave a header out."""
    headers = {}
    if timestamp is not OMIT:
        headers["HTTP_X_WEBHOOK_TIMESTAMP"] = str(timestamp)
    if signature is None:
        signed_timestamp = None if timestamp is OMIT else str(timestamp)
        signature = webhook_signature(body=body, secret=secret, timestamp=signed_timestamp)
    if signature is not OMIT:
        headers["HTTP_X_WEBHOOK_SIGNATURE"] = signature
    if event_id is None:
        event_id = str(uuid.uuid4())
    if event_id is not OMIT:
        headers["HTTP_X_EVENT_ID"] = event_id
    return headers


def encode(payload) -> bytes:
    """The body as the original client sends it: `json.dumps(payload)`."""
    return payload if isinstance(payload, bytes) else json.dumps(payload).encode()


@pytest.fixture
def post_webhook(api_client):
    """Posts `payload` (a dict, or raw bytes) signed like the provider does; see webhook_headers."""

    def post(payload, *, path=URL, content_type="application/json", client=None, **header_options):
        body = encode(payload)
        headers = webhook_headers(body, **header_options)
        return (client or api_client).generic(
            "POST", path, body, content_type=content_type, **headers
        )

    return post
