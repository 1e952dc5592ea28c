"""Payment queries shared by the webhook service."""

from payments.models import Payment


def payment_event_processed(*, event_id: str) -> bool:
    """Whether an event with this id was already recorded (its id is consumed for good)."""
    return Payment.objects.filter(event_id=event_id).exists()
