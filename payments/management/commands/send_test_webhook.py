"""Sends a correctly signed payment webhook to a running server (a deployment check)."""

from argparse import ArgumentTypeError
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from payments.delivery import webhook_send
from payments.models import PAYMENT_SUCCEEDED
from payments.signatures import webhook_secrets


def _amount(value: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ArgumentTypeError(f"not a decimal amount: {value!r}")
    return amount


class Command(BaseCommand):
    help = (
        "Sends a signed payment webhook to a running server and prints the answer; exits "
        "non-zero unless it is 2xx. Example: send_test_webhook --url "
        "https://shop.example.com/webhooks/payment --order 12 --amount 100.00"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/webhooks/payment",
            help="The webhook URL (default: %(default)s).",
        )
        parser.add_argument("--order", type=int, required=True, help="The order id.")
        parser.add_argument(
            "--amount", type=_amount, help="The amount paid; required for payment.succeeded."
        )
        parser.add_argument(
            "--event", default=PAYMENT_SUCCEEDED, help="The event type (default: %(default)s)."
        )
        parser.add_argument("--currency", help="ISO 4217 code (default: STORE_CURRENCY).")
        parser.add_argument(
            "--secret", help="Signing secret (default: the first one in WEBHOOK_SECRET)."
        )
        parser.add_argument("--event-id", help="The X-Event-Id (default: a new UUID).")
        parser.add_argument(
            "--timestamped",
            action="store_true",
            help="Use the timestamped scheme (sends X-Webhook-Timestamp).",
        )

    def handle(self, *args, **options):
        if options["event"] == PAYMENT_SUCCEEDED and options["amount"] is None:
            raise CommandError("--amount is required for payment.succeeded")
        try:
            delivery = webhook_send(
                url=options["url"],
                secret=options["secret"] or webhook_secrets()[0],
                event=options["event"],
                order_id=options["order"],
                amount=options["amount"],
                currency=options["currency"] or settings.STORE_CURRENCY,
                event_id=options["event_id"],
                timestamped=options["timestamped"],
            )
        except OSError as error:
            raise CommandError(f"Could not reach {options['url']}: {error}") from error
        summary = f"X-Event-Id {delivery.event_id} -> HTTP {delivery.status} {delivery.body}"
        if not 200 <= delivery.status < 300:
            raise CommandError(summary)
        self.stdout.write(summary)
