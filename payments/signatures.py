"""HMAC-SHA256 webhook signatures: how the provider signs a body, and how the service checks it.

Two schemes, both hex HMAC-SHA256 with a secret from `WEBHOOK_SECRET`:
- plain: the signature covers the raw body (what the original specification's client sends);
- timestamped (opt-in, as Stripe does): the request carries `X-Webhook-Timestamp` (Unix seconds)
  and the signature covers `"{timestamp}.{raw body}"`; a timestamp further than
  `WEBHOOK_TOLERANCE_SECONDS` from the server clock is refused, which bounds how long a captured
  request stays usable.
"""

import hashlib
import hmac
import logging
import time
from typing import NoReturn

from django.conf import settings

from payments.exceptions import InvalidWebhookSignature

logger = logging.getLogger(__name__)

SIGNATURE_PREFIX = "sha256="
# Unix seconds fit in 11 digits for the next 3000 years; longer values are junk, not time.
MAX_TIMESTAMP_DIGITS = 11


def webhook_secrets() -> list[str]:
    """The configured secrets (comma-separated `WEBHOOK_SECRET`); any one of them verifies."""
    return [secret.strip() for secret in settings.WEBHOOK_SECRET.split(",") if secret.strip()]


def webhook_signature(*, body: bytes, secret: str, timestamp: str | None = None) -> str:
    """Hex HMAC-SHA256 of the raw body, or of `"{timestamp}.{body}"` when timestamped."""
    message = body if timestamp is None else timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def webhook_signature_verify(
    *, body: bytes, signature: str | None, timestamp: str | None, now: float | None = None
) -> None:
    """Returns only if a configured secret signed this exact body (and timestamp, when sent).

    With `X-Webhook-Timestamp` present only the timestamped scheme is accepted, so stripping or
    changing the timestamp invalidates the signature. Raises InvalidWebhookSignature.
    """
    if not signature:
        _refuse("signature header missing")
    provided = signature.strip()
    if provided[: len(SIGNATURE_PREFIX)].lower() == SIGNATURE_PREFIX:
        provided = provided[len(SIGNATURE_PREFIX) :]
    provided_bytes = provided.lower().encode("utf-8", "replace")
    if not any(
        hmac.compare_digest(
            webhook_signature(body=body, secret=secret, timestamp=timestamp).encode(),
            provided_bytes,
        )
        for secret in webhook_secrets()
    ):
        _refuse(
            "signature does not match" + (" (timestamped scheme)" if timestamp is not None else "")
        )
    if timestamp is not None:
        if not (
            timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= MAX_TIMESTAMP_DIGITS
        ):
            _refuse("timestamp is not Unix seconds")
        now = time.time() if now is None else now
        tolerance = settings.WEBHOOK_TOLERANCE_SECONDS
        if abs(now - int(timestamp)) > tolerance:
            _refuse(f"timestamp {timestamp} is outside the tolerance of {tolerance}s")


def _refuse(reason: str) -> NoReturn:
    # Operators see why (clock skew, rotated secret); the caller only ever sees the same 401.
    logger.warning("Webhook refused: %s", reason)
    raise InvalidWebhookSignature(reason)
