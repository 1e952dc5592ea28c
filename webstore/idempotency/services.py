"""Writes of idempotency records: claim a key, store the first response, release, purge."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from webstore.idempotency.exceptions import IdempotencyKeyInFlight, IdempotencyKeyReused
from webstore.idempotency.models import IdempotencyRecord


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: str


def idempotency_begin(
    *, scope: str, key: str, fingerprint: str
) -> IdempotencyRecord | StoredResponse:
    """Claims `key` for this request, or returns the stored first response to replay.

    Reads before writing, so a retry of a finished or running request never waits for a write
    lock. Raises IdempotencyKeyInFlight while the first request runs and IdempotencyKeyReused
    when the key came with another body. Expired records, and in-flight ones older than
    IDEMPOTENCY_LOCK_SECONDS (their request died), are taken over.
    """
    for _ in range(3):
        record = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if record is None:
            try:
                with transaction.atomic():
                    return IdempotencyRecord.objects.create(
                        scope=scope,
                        key=key,
                        request_fingerprint=fingerprint,
                        expires_at=timezone.now()
                        + timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL_SECONDS),
                    )
            except IntegrityError:
                continue  # A concurrent request claimed it first: read its record.
        now = timezone.now()
        abandoned = record.is_in_flight and record.created_at < now - timedelta(
            seconds=settings.IDEMPOTENCY_LOCK_SECONDS
        )
        if record.expires_at <= now or abandoned:
            IdempotencyRecord.objects.filter(pk=record.pk, status_code=record.status_code).delete()
            continue
        if record.request_fingerprint != fingerprint:
            raise IdempotencyKeyReused()
        if record.is_in_flight:
            raise IdempotencyKeyInFlight()
        return StoredResponse(status_code=record.status_code, body=record.response_body)
    raise IdempotencyKeyInFlight()


def idempotency_finish(*, record: IdempotencyRecord, status_code: int, body: str) -> None:
    """Stores the first response so later requests with the same key replay it."""
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=status_code, response_body=body
    )


def idempotency_release(*, record: IdempotencyRecord) -> None:
    """Frees the key after a failure worth retrying (5xx, crash): nothing is replayed."""
    IdempotencyRecord.objects.filter(pk=record.pk, status_code__isnull=True).delete()


def idempotency_purge_expired(
    *, batch_size: int = 1000, progress: Callable[[int, int], None] | None = None
) -> int:
    """Deletes records past their 24 h (IDEMPOTENCY_KEY_TTL_SECONDS); returns how many.

    Deletes `batch_size` rows per statement, so live requests never wait long on the table;
    `progress(done, total)` is called after each batch.
    """
    expired = IdempotencyRecord.objects.filter(expires_at__lte=timezone.now())
    total, deleted = expired.count(), 0
    while batch := list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        deleted += IdempotencyRecord.objects.filter(pk__in=batch).delete()[0]
        if progress is not None:
            progress(deleted, max(total, deleted))
    return deleted
