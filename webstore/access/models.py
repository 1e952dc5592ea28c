"""The credentials API clients write with."""

from django.db import models
from django.utils import timezone


class ApiKey(models.Model):
    """A client's credential for writes. Only a SHA-256 hash of the key is kept.

    The key is random (256 bits), so a fast hash is enough: there is nothing to brute-force.
    `prefix` is the key's public start, shown in the admin and logs to tell keys apart.
    """

    name = models.CharField(max_length=100, help_text="Who uses this key (a client, a script).")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
