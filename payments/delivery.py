"""Sends a signed payment webhook the way the provider does, to check a running deployment."""

import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from decimal import Decimal

from payments.signatures import webhook_signature


@dataclass(frozen=True)
class WebhookDelivery:
    """What the server answered to one delivery."""

    event_id: str
    status: int
    body: str


def webhook_body(*, event: str, order_id: int, amount: Decimal | None, currency: str) -> bytes:
    """The JSON body, written by hand so the amount goes out exactly as given (no float)."""
    fields = [("event", json.dumps(event)), ("order_id", str(order_id))]
    if amount is not None:
        fields.append(("amount", str(amount)))
    fields.append(("currency", json.dumps(currency)))
    return ("{" + ", ".join(f'"{name}": {value}' for name, value in fields) + "}").encode()


def webhook_send(
    *,
    url: str,
    secret: str,
    event: str,
    order_id: int,
    amount: Decimal | None,
    currency: str,
    event_id: str | None = None,
    timestamped: bool = False,
    timeout: float = 10,
) -> WebhookDelivery:
    """POSTs one signed event to `url` and returns the answer, whatever its status.

    Raises OSError (urllib.error.URLError) when the server cannot be reached.
    """
    event_id = event_id or str(uuid.uuid4())
    body = webhook_body(event=event, order_id=order_id, amount=amount, currency=currency)
    headers = {"Content-Type": "application/json", "X-Event-Id": event_id}
    timestamp = str(int(time.time())) if timestamped else None
    if timestamp is not None:
        headers["X-Webhook-Timestamp"] = timestamp
    headers["X-Webhook-Signature"] = webhook_signature(
        body=body, secret=secret, timestamp=timestamp
    )
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return WebhookDelivery(event_id, response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        with error:
            return WebhookDelivery(event_id, error.code, error.read().decode())
