"""Deletes stored idempotent responses older than their 24 h; run it daily (cron)."""

from django.core.management.base import BaseCommand

from webstore.idempotency.services import idempotency_purge_expired


class Command(BaseCommand):
    help = "Delete expired Idempotency-Key records."

    def handle(self, *args, **options):
        deleted = idempotency_purge_expired()
        self.stdout.write(f"Purged {deleted} expired idempotency key(s).")
