#!/usr/bin/env python3
"""Payment webhook test of a running service, from outside (SPEC.md "Payment webhook").

    python tests/test_webhook.py                                  # http://localhost:8000
    BASE_URL=https://shop.onrender.com WEBHOOK_SECRET=... python tests/test_webhook.py

Signs `POST /webhooks/payment` bodies with WEBHOOK_SECRET (environment or `.env`; the `make run`
development default otherwise): a valid signature pays the order, a wrong one is 401, a replayed
event id is 400. Fresh orders and event ids every run. Exits 1 at the first failure; pytest
collects the same checks and runs them against a live server.
"""

import sys
import uuid

from blackbox import Api, expect, run_checks


def pending_order(api: Api) -> dict:
    product = api.create_product(prefix="HOOK", price="33.33", stock=10)
    return api.create_order(product["id"], 3)


def payment(order: dict, **overrides) -> dict:
    """The body of a payment.succeeded event that pays `order` in full."""
    return {
        "event": "payment.succeeded",
        "order_id": order["id"],
        "amount": order["total_price"],
        "currency": "USD",
        **overrides,
    }


def order_status(api: Api, order: dict) -> str:
    return api.json("GET", f"/orders/{order['id']}", 200)["status"]


def test_valid_signature_pays_the_order(api: Api):
    order = pending_order(api)
    body = api.post_webhook(payment(order), 200, event_id=str(uuid.uuid4()))
    expect(
        "webhook answer",
        body,
        {
            "status": "success",
            "message": "Payment processed successfully",
            "order_id": order["id"],
            "order_status": "PAID",
        },
    )
    expect("order status after the payment", order_status(api, order), "PAID")


def test_invalid_signature_is_401(api: Api):
    order = pending_order(api)
    body = api.post_webhook(
        payment(order), 401, event_id=str(uuid.uuid4()), secret="not-the-webhook-secret"
    )
    expect("webhook answer", body, {"detail": "Invalid webhook signature"})
    expect("order status after the rejected webhook", order_status(api, order), "PENDING")


def test_replayed_event_is_400(api: Api):
    order = pending_order(api)
    event_id = str(uuid.uuid4())
    api.post_webhook(payment(order), 200, event_id=event_id)
    body = api.post_webhook(payment(order), 400, event_id=event_id)
    expect(
        "replay answer",
        body,
        {"detail": {"error": "Event already processed", "event_id": event_id}},
    )
    expect("order status after the replay", order_status(api, order), "PAID")


def test_missing_event_id_is_400(api: Api):
    order = pending_order(api)
    body = api.post_webhook(payment(order), 400, event_id=None)
    expect("webhook answer", body, {"detail": "Missing X-Event-Id header"})
    expect("order status", order_status(api, order), "PENDING")


def test_wrong_amount_is_409(api: Api):
    order = pending_order(api)
    body = api.post_webhook(payment(order, amount=1.0), 409, event_id=str(uuid.uuid4()))
    expect(
        "webhook answer",
        body,
        {
            "detail": {
                "error": "Payment amount mismatch",
                "order_id": order["id"],
                "expected": order["total_price"],
                "received": 1.0,
                "currency": "USD",
            }
        },
    )
    expect("order status", order_status(api, order), "PENDING")


CHECKS = [
    test_valid_signature_pays_the_order,
    test_invalid_signature_is_401,
    test_replayed_event_is_400,
    test_missing_event_id_is_400,
    test_wrong_amount_is_409,
]

if __name__ == "__main__":
    sys.exit(run_checks(CHECKS))
