"""`manage.py send_test_webhook` against a live server, as an operator checks a deployment."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from orders.models import Order
from payments.models import Payment
from payments.tests.conftest import URL

pytestmark = pytest.mark.django_db(transaction=True)


def send(live_server, *args):
    return call_command("send_test_webhook", "--url", live_server.url + URL, *args)


def test_signed_test_webhook_pays_the_order(live_server, pending_order, capsys):
    send(
        live_server, "--order", str(pending_order.pk), "--amount", "100.00", "--event-id", "evt_cmd"
    )
    out = capsys.readouterr().out
    assert out.startswith("X-Event-Id evt_cmd -> HTTP 200 ")
    assert '"order_status":"PAID"' in out
    assert Order.objects.get(pk=pending_order.pk).status == "PAID"
    payment = Payment.objects.get()
    assert (payment.event_id, payment.outcome, str(payment.amount)) == (
        "evt_cmd",
        "succeeded",
        "100.00",
    )


def test_timestamped_scheme_and_other_event_types(live_server, pending_order, capsys):
    send(
        live_server, "--order", str(pending_order.pk), "--event", "payment.failed", "--timestamped"
    )
    assert '"status":"ignored"' in capsys.readouterr().out
    assert Order.objects.get(pk=pending_order.pk).status == "PENDING"
    assert Payment.objects.get().outcome == "ignored"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--secret", "wrong"], 'HTTP 401 {"detail":"Invalid webhook signature"}'),
        (["--amount", "90"], "HTTP 409"),
        (["--currency", "EUR"], "HTTP 409"),
    ],
)
def test_non_2xx_answers_fail_the_command(live_server, pending_order, args, message):
    base = ["--order", str(pending_order.pk), "--amount", "100.00"]
    with pytest.raises(CommandError, match=message.replace("{", r"\{").replace("}", r"\}")):
        send(live_server, *base, *args)
    assert Order.objects.get(pk=pending_order.pk).status == "PENDING"


def test_amount_is_required_for_a_payment(live_server, pending_order):
    with pytest.raises(CommandError, match=r"--amount is required for payment\.succeeded"):
        send(live_server, "--order", str(pending_order.pk))


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(
        CommandError, match=r"Could not reach http://127\.0\.0\.1:9/webhooks/payment"
    ):
        call_command(
            "send_test_webhook",
            "--url",
            "http://127.0.0.1:9/webhooks/payment",
            "--order",
            "1",
            "--amount",
            "1",
        )
