"""Staff admin for payment webhook events: read-only records, for reviewing rejected payments.

Each row is one processed webhook event (its id consumed); rows are written only by the webhook.
The one thing staff change is the review mark on a rejected payment, through the
`payment_mark_reviewed` service. Payments export as CSV (`payments.resources`).
"""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from payments.exceptions import PaymentAlreadyReviewed
from payments.models import Payment
from payments.resources import PaymentResource
from payments.services import payment_mark_reviewed
from webstore.backoffice.dashboard import DashboardSection, Figure, changelist_url
from webstore.backoffice.exports import StreamingCsvExportMixin
from webstore.backoffice.mixins import ReadOnlyAdminMixin, report_per_row


class ReviewFilter(admin.SimpleListFilter):
    """Rejected payments still to review, or those reviewed."""

    title = "review"
    parameter_name = "reviewed"

    def lookups(self, request, model_admin):
        return [("no", "To review"), ("yes", "Reviewed")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.to_review()
        if self.value() == "yes":
            return queryset.reviewed()
        return queryset


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, StreamingCsvExportMixin, admin.ModelAdmin):
    # Never deletable either: the row is what keeps its event id from being processed again.
    list_display = [
        "received_at",
        "event_id",
        "event_type",
        "order_link",
        "amount",
        "currency",
        "outcome",
        "reason",
        "order_status",
        "review",
    ]
    list_filter = [ReviewFilter, "outcome", "reason", "event_type", "currency", "received_at"]
    search_fields = ["event_id", "order__id__exact"]
    date_hierarchy = "received_at"
    list_select_related = ["order"]
    actions = ["mark_reviewed"]
    resource_classes = [PaymentResource]
    fields = [
        "event_id",
        "event_type",
        "order_link",
        "amount",
        "currency",
        "outcome",
        "reason",
        "order_status",
        "received_at",
        "review",
        "payload",
    ]
    readonly_fields = fields

    @admin.display(description="order", ordering="order_id")
    def order_link(self, payment: Payment) -> str:
        url = reverse("admin:orders_order_change", args=[payment.order_id])
        return format_html('<a href="{}">Order {}</a>', url, payment.order_id)

    @admin.display(description="review", ordering="reviewed_at")
    def review(self, payment: Payment) -> str:
        if payment.reviewed_at is not None:
            reviewed_at = timezone.localtime(payment.reviewed_at)
            return f"reviewed by {payment.reviewed_by}, {reviewed_at:%Y-%m-%d %H:%M}"
        return "to review" if payment.outcome == Payment.Outcome.REJECTED else "-"

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("payments.review_payment")

    @admin.action(description="Mark selected rejected payments reviewed", permissions=["review"])
    def mark_reviewed(self, request, queryset):
        report_per_row(
            self,
            request,
            queryset.order_by("pk"),
            apply=lambda payment: payment_mark_reviewed(
                payment_id=payment.pk, actor=request.user.get_username()
            ),
            done="marked reviewed",
            describe_failure=_why_not_reviewed,
        )


def _why_not_reviewed(payment: Payment, error) -> str:
    if isinstance(error, PaymentAlreadyReviewed):
        return f"{payment.event_id} was already reviewed by {error.reviewed_by}."
    return f"{payment.event_id} was not marked reviewed: {error.detail}"


def dashboard_sections(request, days) -> list[DashboardSection]:
    """Rejected payments no one has reviewed yet. One query."""
    if not request.user.has_perm("payments.view_payment"):
        return []
    to_review = Payment.objects.to_review().count()
    figure = Figure(
        metric="payments_to_review",
        label="To review",
        value=str(to_review),
        url=changelist_url("payments", "payment", reviewed="no"),
        hint="rejected payments",
        needs_action=to_review > 0,
    )
    return [DashboardSection(title="Payments", figures=(figure,))]


admin.site.register_dashboard_section(dashboard_sections, position=40)
