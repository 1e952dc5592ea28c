"""The payment webhook's outcomes, one counter labelled by outcome."""

from prometheus_client import Counter

from payments.models import PaymentOutcome

# Calls that recorded nothing, by why: a used event id, a bad signature, any other bad request.
DUPLICATE = "duplicate"
INVALID_SIGNATURE = "invalid_signature"
INVALID_REQUEST = "invalid_request"
# The recorded outcomes (a Payment row each) come first.
WEBHOOK_OUTCOMES = (*PaymentOutcome.values, DUPLICATE, INVALID_SIGNATURE, INVALID_REQUEST)
WEBHOOK_EVENTS = Counter(
    "webstore_webhook_events_total",
    "Payment webhook calls, by outcome: " + ", ".join(WEBHOOK_OUTCOMES) + ".",
    ["outcome"],
)
# Every outcome exists from the start (at zero), so dashboards and rate() see all of them.
for _outcome in WEBHOOK_OUTCOMES:
    WEBHOOK_EVENTS.labels(outcome=_outcome)
