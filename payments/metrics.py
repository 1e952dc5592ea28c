"""The payment webhook's outcomes, one counter labelled by outcome."""

from prometheus_client import Counter

# succeeded / rejected / ignored: the recorded Payment outcome; the others recorded nothing.
WEBHOOK_OUTCOMES = (
    "succeeded",
    "rejected",
    "ignored",
    "duplicate",
    "invalid_signature",
    "invalid_request",
)
WEBHOOK_EVENTS = Counter(
    "webstore_webhook_events_total",
    "Payment webhook calls, by outcome: " + ", ".join(WEBHOOK_OUTCOMES) + ".",
    ["outcome"],
)
