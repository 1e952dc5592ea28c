"""Cancels PENDING orders older than an age, returning their stock."""

import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from orders.services import order_cancel_stale
from webstore.backoffice.progress import Progress

ACTOR = "cancel_stale_orders"
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
# Far past any real order, and keeps `now - age` inside the datetime range.
MAX_AGE = timedelta(days=36500)


def parse_age(text: str) -> timedelta:
    """'90s', '30m', '24h', '7d' -> timedelta; raises CommandError for anything else."""
    match = re.fullmatch(r"(\d{1,9})([smhd])", text.strip())
    age = timedelta(**{UNITS[match[2]]: int(match[1])}) if match else None
    if age is None or not timedelta(0) < age <= MAX_AGE:
        raise CommandError(
            "--older-than: expected a positive age up to 36500d, like 30m, 24h or 7d; "
            f"got {text!r}."
        )
    return age


class Command(BaseCommand):
    help = (
        "Cancel PENDING (unpaid) orders created more than --older-than ago and return their "
        "stock, exactly like canceling through the API. Orders locked by live requests are "
        "skipped and left for the next run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", default="24h", help="age such as 30m, 24h or 7d (default 24h)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="list the orders that would be canceled"
        )

    def handle(self, *args, **options):
        age = parse_age(options["older_than"])
        progress = Progress(self.stderr, "Canceling stale orders")
        result = order_cancel_stale(
            older_than=age, actor=ACTOR, dry_run=options["dry_run"], progress=progress.update
        )
        ids = ", ".join(map(str, result.canceled)) or "none"
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {len(result.canceled)} order(s) would be canceled: {ids}.")
            return
        progress.finish()
        self.stdout.write(f"Canceled {len(result.canceled)} order(s): {ids}.")
        if result.skipped:
            skipped = ", ".join(map(str, result.skipped))
            self.stdout.write(
                f"Skipped {len(result.skipped)} (busy or no longer pending): {skipped}."
            )
