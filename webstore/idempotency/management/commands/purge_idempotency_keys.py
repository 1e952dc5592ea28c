"""Deletes stored idempotent responses older than their 24 h; run it daily (cron)."""

from django.core.management.base import BaseCommand

from webstore.backoffice.progress import Progress
from webstore.idempotency.services import idempotency_purge_expired


class Command(BaseCommand):
    help = "Delete expired Idempotency-Key records."

    def handle(self, *args, **options):
        progress = Progress(self.stderr, "Purging expired idempotency keys")
        deleted = idempotency_purge_expired(progress=progress.update)
        progress.finish()
        self.stdout.write(f"Purged {deleted} expired idempotency key(s).")
