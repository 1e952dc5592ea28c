from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    """Stored first responses to requests sent with an `Idempotency-Key`."""

    name = "webstore.idempotency"
    label = "idempotency"
    verbose_name = "Idempotency keys"
