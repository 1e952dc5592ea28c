"""Every row of SPEC.md's payment webhook table: status, exact body, and the state read back."""

import hashlib
import hmac
import json
import uuid
from decimal import Decimal

import pytest
import requests

from inventory.models import Product, StockMovement
from orders.models import Order
from payments.models import Payment
from payments.tests.conftest import OMIT, URL, paid_event

pytestmark = pytest.mark.django_db


def order_state(api_client, order):
    """The order as the API shows it, and its product's stock."""
    return (
        api_client.get(f"/orders/{order.pk}").json()["status"],
        Product.objects.get(pk=order.product_id).stock,
    )


# --- signature missing or wrong: 401, nothing recorded -----------------------------------------


@pytest.mark.parametrize(
    "header_options",
    [
        {"signature": OMIT},
        {"signature": ""},
        {"secret": "not-the-secret"},
        {"signature": "0" * 64},
        {"signature": "sha256="},
        {"signature": "zz-not-hex-é"},
    ],
    ids=["missing", "empty", "wrong-secret", "zeros", "prefix-only", "garbage"],
)
def test_missing_or_wrong_signature_is_401_and_records_nothing(
    api_client, post_webhook, pending_order, header_options
):
    response = post_webhook(paid_event(pending_order.pk), **header_options)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid webhook signature"}
    assert not Payment.objects.exists()
    assert order_state(api_client, pending_order) == ("PENDING", 8)


def test_signature_is_checked_before_the_event_id_and_the_body(post_webhook):
    response = post_webhook(b"not json", secret="wrong", event_id=OMIT)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid webhook signature"}


# --- X-Event-Id missing: 400 --------------------------------------------------------------------


@pytest.mark.parametrize("event_id", [OMIT, "", "   "], ids=["absent", "empty", "blank"])
def test_missing_event_id_is_400(api_client, post_webhook, pending_order, event_id):
    response = post_webhook(paid_event(pending_order.pk), event_id=event_id)
    assert response.status_code == 400
    assert response.json() == {"detail": "Missing X-Event-Id header"}
    assert not Payment.objects.exists()
    assert order_state(api_client, pending_order) == ("PENDING", 8)


# --- event id already processed: 400 ------------------------------------------------------------


def test_event_id_already_processed_is_400_and_changes_nothing(
    api_client, post_webhook, make_product, make_order
):
    first_order = make_order(make_product(price="50.00"), quantity=2)
    second_order = make_order(make_product(price="50.00"), quantity=2)
    event_id = "evt_replayed_0001"
    assert post_webhook(paid_event(first_order.pk), event_id=event_id).status_code == 200

    # The same event again, and the same id carrying a different (validly signed) payload.
    for order in (first_order, second_order):
        response = post_webhook(paid_event(order.pk), event_id=event_id)
        assert response.status_code == 400
        assert response.json() == {
            "detail": {"error": "Event already processed", "event_id": "evt_replayed_0001"}
        }
    assert Payment.objects.count() == 1
    assert api_client.get(f"/orders/{first_order.pk}").json()["status"] == "PAID"
    assert api_client.get(f"/orders/{second_order.pk}").json()["status"] == "PENDING"


# --- body not JSON / fields missing or wrong type: 400, nothing recorded --------------------------
# (the full table of bad bodies is in test_bad_input.py)


@pytest.mark.parametrize(
    "payload, detail",
    [
        (b"not json", "JSON parse error - Expecting value: line 1 column 1 (char 0)"),
        (
            {"event": "payment.succeeded", "amount": 100.0},
            {"order_id": ["This field is required."]},
        ),
        (
            {"event": "payment.succeeded", "order_id": "{order}"},
            {"amount": ["This field is required."]},
        ),
        (
            {"event": "payment.succeeded", "order_id": "7", "amount": 1},
            {"order_id": ["A valid integer is required."]},
        ),
    ],
    ids=["not-json", "no-order-id", "no-amount", "order-id-string"],
)
def test_bad_body_is_400_and_records_nothing(
    api_client, post_webhook, pending_order, payload, detail
):
    if isinstance(payload, dict) and payload.get("order_id") == "{order}":
        payload = {**payload, "order_id": pending_order.pk}
    response = post_webhook(payload)
    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert not Payment.objects.exists()
    assert order_state(api_client, pending_order) == ("PENDING", 8)


# --- order unknown: 404, nothing recorded, so a retry can succeed -----------------------------


@pytest.mark.parametrize("event", ["payment.succeeded", "payment.failed"])
def test_unknown_order_is_404_and_the_event_id_stays_usable(
    api_client, post_webhook, pending_order, event
):
    response = post_webhook(paid_event(123456, event=event), event_id="evt_retry_me")
    assert response.status_code == 404
    assert response.json() == {"detail": "Order with ID 123456 not found"}
    assert not Payment.objects.exists()

    # The provider retries the same event id once the data is right: it succeeds.
    retry = post_webhook(paid_event(pending_order.pk, event=event), event_id="evt_retry_me")
    assert retry.status_code == 200
    assert Payment.objects.get().event_id == "evt_retry_me"


# --- payment.succeeded, PENDING, amount = total_price, store currency: 200 ----------------------


def test_successful_payment_marks_the_order_paid(api_client, post_webhook, pending_order):
    body = json.dumps(paid_event(pending_order.pk)).encode()
    response = post_webhook(body, event_id="evt_paid_1")
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "message": "Payment processed successfully",
        "order_id": pending_order.pk,
        "order_status": "PAID",
    }
    assert order_state(api_client, pending_order) == ("PAID", 8)
    payment = Payment.objects.get()
    assert (payment.order_id, payment.event_id, payment.event_type) == (
        pending_order.pk,
        "evt_paid_1",
        "payment.succeeded",
    )
    assert (payment.amount, payment.currency) == (Decimal("100.00"), "USD")
    assert (payment.outcome, payment.reason, payment.order_status) == ("succeeded", "", "PENDING")
    assert payment.payload == body.decode()
    # Paying moves no stock: the units were reserved when the order was placed.
    assert StockMovement.objects.filter(order_id=pending_order.pk).count() == 1


@pytest.mark.parametrize(
    "raw_amount, raw_currency",
    [
        ("100.0", '"USD"'),
        ("100", '"USD"'),
        ("100.00", '"USD"'),
        ("1e2", '"USD"'),
        ("1.00E+2", '"USD"'),
        ('"100.00"', '"USD"'),
        ("100.0", '"usd"'),
        ("100.0", None),
    ],
)
def test_equal_amounts_match_exactly_whatever_their_notation(
    api_client, post_webhook, pending_order, raw_amount, raw_currency
):
    fields = [f'"order_id": {pending_order.pk}', f'"amount": {raw_amount}']
    if raw_currency:
        fields.append(f'"currency": {raw_currency}')
    body = '{"event": "payment.succeeded", ' + ", ".join(fields) + "}"
    response = post_webhook(body.encode())
    assert response.status_code == 200, response.content
    assert response.json()["order_status"] == "PAID"
    assert Payment.objects.get().currency == "USD"


def test_amounts_never_pass_through_floats(api_client, post_webhook, make_product, make_order):
    # 0.10 × 3 is 0.30000000000000004 in floats; the order's total is exactly 0.30.
    order = make_order(make_product(price="0.10"), quantity=3)
    response = post_webhook(
        b'{"event": "payment.succeeded", "order_id": %d, "amount": 0.3}' % order.pk
    )
    assert response.status_code == 200, response.content
    order_with_cents = make_order(make_product(price="33.33"), quantity=3)
    response = post_webhook(paid_event(order_with_cents.pk, amount=99.99))
    assert response.status_code == 200, response.content


def test_webhook_path_answers_with_a_trailing_slash_too(post_webhook, pending_order):
    response = post_webhook(paid_event(pending_order.pk), path=URL + "/")
    assert response.status_code == 200
    assert response.json()["order_status"] == "PAID"


def test_webhook_ignores_the_declared_content_type(post_webhook, pending_order):
    # The signature authenticates the exact bytes, which are parsed as JSON whatever the
    # header says (the original service did the same; curl -d sends a form type).
    response = post_webhook(paid_event(pending_order.pk), content_type="text/plain")
    assert response.status_code == 200
    assert response.json()["order_status"] == "PAID"


def test_only_post_is_allowed(api_client):
    response = api_client.get(URL)
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "GET" not allowed.'}


# --- order not PENDING: 409, recorded, order untouched -----------------------------------------


@pytest.mark.parametrize("status, stock", [("PAID", 8), ("SHIPPED", 8), ("CANCELED", 10)])
def test_order_not_pending_is_409_recorded_and_untouched(
    api_client, post_webhook, make_product, make_order, status, stock
):
    order = make_order(make_product(price="50.00", stock=10), quantity=2, status=status)
    response = post_webhook(paid_event(order.pk), event_id="evt_late")
    assert response.status_code == 409
    assert response.json() == {
        "detail": {"error": "Order not payable", "order_id": order.pk, "current_status": status}
    }
    assert order_state(api_client, order) == (status, stock)
    payment = Payment.objects.get()
    assert (payment.event_id, payment.outcome, payment.reason) == (
        "evt_late",
        "rejected",
        "order_not_payable",
    )
    assert (payment.order_status, payment.amount) == (status, Decimal("100.00"))
    # Recorded means consumed: the provider's retry is refused, not processed again.
    retry = post_webhook(paid_event(order.pk), event_id="evt_late")
    assert retry.status_code == 400
    assert retry.json() == {"detail": {"error": "Event already processed", "event_id": "evt_late"}}
    assert Payment.objects.count() == 1


# --- amount or currency does not match: 409, recorded, order stays PENDING ----------------------


@pytest.mark.parametrize(
    "amount, currency, received",
    [
        (90.0, "USD", 90.0),
        ("100.01", "USD", 100.01),
        (200, "USD", 200.0),
        (100.0, "EUR", 100.0),
        (100.0, "eur", 100.0),
    ],
)
def test_amount_or_currency_mismatch_is_409_recorded_and_pending(
    api_client, post_webhook, pending_order, amount, currency, received
):
    response = post_webhook(
        paid_event(pending_order.pk, amount=amount, currency=currency), event_id="evt_short"
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": {
            "error": "Payment amount mismatch",
            "order_id": pending_order.pk,
            "expected": 100.0,
            "received": received,
            "currency": currency.upper(),
        }
    }
    assert order_state(api_client, pending_order) == ("PENDING", 8)
    payment = Payment.objects.get()
    assert (payment.outcome, payment.reason, payment.order_status) == (
        "rejected",
        "amount_mismatch",
        "PENDING",
    )
    assert (payment.amount, payment.currency) == (
        Decimal(str(received)).quantize(Decimal("0.01")),
        currency.upper(),
    )
    retry = post_webhook(paid_event(pending_order.pk), event_id="evt_short")
    assert retry.status_code == 400
    assert retry.json() == {"detail": {"error": "Event already processed", "event_id": "evt_short"}}


def test_the_exact_spec_example_of_a_mismatch(api_client, post_webhook, pending_order):
    response = post_webhook(paid_event(pending_order.pk, amount=90.0))
    assert response.status_code == 409
    assert response.json() == {
        "detail": {
            "error": "Payment amount mismatch",
            "order_id": pending_order.pk,
            "expected": 100.0,
            "received": 90.0,
            "currency": "USD",
        }
    }
    # After a rejected payment the order can still be paid by a correct event.
    response = post_webhook(paid_event(pending_order.pk, amount=100.0))
    assert response.status_code == 200
    assert order_state(api_client, pending_order) == ("PAID", 8)
    assert sorted(Payment.objects.values_list("outcome", flat=True)) == ["rejected", "succeeded"]


# --- other event types: 200 ignored, recorded --------------------------------------------------


@pytest.mark.parametrize("status", ["PENDING", "PAID", "CANCELED"])
@pytest.mark.parametrize(
    "payload",
    [
        {"event": "payment.failed"},
        {"event": "payment.refunded", "amount": 100.0, "currency": "USD"},
        {"event": "charge.dispute.created", "amount": "12.50"},
    ],
    ids=["failed", "refunded", "dispute"],
)
def test_other_event_types_are_ignored_and_recorded(
    api_client, post_webhook, make_product, make_order, status, payload
):
    order = make_order(make_product(price="50.00", stock=10), quantity=2, status=status)
    before = order_state(api_client, order)
    response = post_webhook({**payload, "order_id": order.pk}, event_id="evt_other")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ignored",
        "message": f"Event type '{payload['event']}' is not handled",
        "order_id": order.pk,
        "order_status": status,
    }
    assert order_state(api_client, order) == before
    payment = Payment.objects.get()
    assert (payment.event_type, payment.outcome, payment.reason) == (
        payload["event"],
        "ignored",
        "",
    )
    expected_amount = Decimal(str(payload["amount"])) if "amount" in payload else None
    assert payment.amount == expected_amount
    retry = post_webhook({**payload, "order_id": order.pk}, event_id="evt_other")
    assert retry.status_code == 400
    assert retry.json() == {"detail": {"error": "Event already processed", "event_id": "evt_other"}}


# --- the original specification's client, over a real socket ----------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_original_webhook_script_works_unchanged(live_server, settings):
    """tests/test_webhook.py of the original spec: its secret, its body encoding, its checks."""
    settings.WEBHOOK_SECRET = "default-secret-change-in-production"
    base = live_server.url

    def send(payload, secret, event_id):
        body = json.dumps(payload)
        signature = hmac.new(secret.encode(), body.encode("utf-8"), hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "X-Webhook-Signature": signature,
            "X-Event-Id": event_id,
        }
        return requests.post(f"{base}/webhooks/payment", data=body, headers=headers, timeout=10)

    product = requests.post(
        f"{base}/products",
        json={
            "sku": f"WH-{uuid.uuid4().hex[:8]}",
            "name": "Webhook Test",
            "price": 50.0,
            "stock": 10,
        },
        timeout=10,
    ).json()
    order = requests.post(
        f"{base}/orders", json={"product_id": product["id"], "quantity": 2}, timeout=10
    ).json()
    payload = {
        "event": "payment.succeeded",
        "order_id": order["id"],
        "amount": 100.0,
        "currency": "USD",
    }

    event_id = str(uuid.uuid4())
    valid = send(payload, "default-secret-change-in-production", event_id)
    assert valid.status_code == 200
    assert valid.json()["status"] == "success"
    assert requests.get(f"{base}/orders/{order['id']}", timeout=10).json()["status"] == "PAID"

    wrong = send(payload, "wrong-secret", str(uuid.uuid4()))
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "Invalid webhook signature"}

    replay = send(payload, "default-secret-change-in-production", event_id)
    assert replay.status_code == 400
    assert replay.json() == {"detail": {"error": "Event already processed", "event_id": event_id}}
    assert Order.objects.get(pk=order["id"]).status == "PAID"
