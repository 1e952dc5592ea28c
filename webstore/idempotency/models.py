"""Stored first responses to requests sent with an `Idempotency-Key`."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class IdempotencyRecord(models.Model):
    """The first response to a POST sent with an `Idempotency-Key`, replayed for retries.

    A row without `status_code` is a request still in flight. `scope` ties the key to one client
    (API key or anonymous) and one endpoint, so keys of different clients never collide.
    """

    scope = models.CharField(max_length=200)
    key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key_unique"),
            models.CheckConstraint(
                condition=Q(status_code__isnull=True) | Q(status_code__gte=100),
                name="idempotency_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.scope} {self.key}"

    @property
    def is_in_flight(self) -> bool:
        return self.status_code is None
