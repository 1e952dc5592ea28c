"""Payment events received from the provider's webhook.

One row per processed event: the row that records what happened is also the row that consumes
the event id. A unique constraint on `event_id` makes an id usable once, ever, across every
worker, instance and restart; nothing in memory is trusted for that.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from orders.models import Order, OrderStatus

# The one event type that moves money; every other type is recorded and ignored.
PAYMENT_SUCCEEDED = "payment.succeeded"


class PaymentOutcome(models.TextChoices):
    SUCCEEDED = "succeeded", "Succeeded (order paid)"
    REJECTED = "rejected", "Rejected (for staff review)"
    IGNORED = "ignored", "Ignored (event type not handled)"


class RejectionReason(models.TextChoices):
    ORDER_NOT_PAYABLE = "order_not_payable", "Order not payable"
    AMOUNT_MISMATCH = "amount_mismatch", "Amount or currency mismatch"


class PaymentQuerySet(models.QuerySet):
    def to_review(self):
        """Rejected payments no one has marked reviewed yet."""
        return self.filter(outcome=PaymentOutcome.REJECTED, reviewed_at__isnull=True)

    def reviewed(self):
        return self.filter(reviewed_at__isnull=False)


class Payment(models.Model):
    """A webhook event the service processed, with its outcome and the exact body received.

    Staff review rejected payments (refund, contact the customer) and mark them reviewed, which
    records who and when.
    """

    Outcome = PaymentOutcome
    Reason = RejectionReason

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=100)
    # Null when an ignored event carried no amount.
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3)
    outcome = models.CharField(max_length=9, choices=Outcome.choices)
    reason = models.CharField(max_length=17, choices=Reason.choices, blank=True)
    # The order's status when the event was processed (under the row lock), before any change.
    order_status = models.CharField(max_length=8, choices=OrderStatus.choices)
    payload = models.TextField(help_text="The request body exactly as received and signed.")
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.CharField(max_length=150, blank=True, editable=False)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        permissions = [("review_payment", "Can mark rejected payments reviewed")]
        indexes = [models.Index(fields=["outcome", "-received_at"], name="payment_outcome_time")]
        constraints = [
            models.UniqueConstraint(fields=["event_id"], name="payment_event_id_unique"),
            models.CheckConstraint(
                condition=Q(outcome__in=PaymentOutcome.values), name="payment_outcome_valid"
            ),
            # A reason exactly when rejected, so staff can always tell why.
            models.CheckConstraint(
                condition=(
                    Q(outcome=PaymentOutcome.REJECTED, reason__in=RejectionReason.values)
                    | (~Q(outcome=PaymentOutcome.REJECTED) & Q(reason=""))
                ),
                name="payment_reason_iff_rejected",
            ),
            # Payment events always carry a positive amount; only ignored events may lack one.
            models.CheckConstraint(
                condition=(
                    Q(amount__isnull=False, amount__gt=0)
                    | Q(amount__isnull=True, outcome=PaymentOutcome.IGNORED)
                ),
                name="payment_amount_positive",
            ),
            # Only a rejected payment is reviewed, and a review always says who and when.
            models.CheckConstraint(
                condition=(
                    Q(reviewed_at__isnull=True, reviewed_by="")
                    | (
                        Q(outcome=PaymentOutcome.REJECTED, reviewed_at__isnull=False)
                        & ~Q(reviewed_by="")
                    )
                ),
                name="payment_review_only_rejected",
            ),
        ]

    def __str__(self):
        return f"{self.event_type} {self.event_id} → order {self.order_id} ({self.outcome})"
