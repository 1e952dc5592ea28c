"""Staff admin for payment webhook events: read-only, for reviewing rejected payments.

Each row is one processed webhook event (its id consumed); rows are written only by the webhook.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from payments.models import Payment
from webstore.backoffice.mixins import ReadOnlyAdminMixin


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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
    ]
    list_filter = ["outcome", "reason", "event_type", "currency", "received_at"]
    search_fields = ["event_id", "order__id__exact"]
    date_hierarchy = "received_at"
    list_select_related = ["order"]
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
        "payload",
    ]
    readonly_fields = fields

    @admin.display(description="order", ordering="order_id")
    def order_link(self, payment: Payment) -> str:
        url = reverse("admin:orders_order_change", args=[payment.order_id])
        return format_html('<a href="{}">Order {}</a>', url, payment.order_id)
