"""The payments' CSV export (django-import-export): one row per processed webhook event.

The raw signed body (`payload`) stays out: it is for looking at one event, not for a sheet.
"""

from import_export import fields, resources

from payments.models import Payment
from webstore.backoffice.exports import IsoDateTimeWidget, PlainNumberWidget

COLUMNS = (
    "id",
    "received_at",
    "event_id",
    "event_type",
    "order_id",
    "amount",
    "currency",
    "outcome",
    "reason",
    "order_status",
    "reviewed_at",
    "reviewed_by",
)


class PaymentResource(resources.ModelResource):
    received_at = fields.Field(
        attribute="received_at", column_name="received_at", widget=IsoDateTimeWidget()
    )
    order_id = fields.Field(attribute="order_id", column_name="order_id")
    amount = fields.Field(attribute="amount", column_name="amount", widget=PlainNumberWidget())
    reviewed_at = fields.Field(
        attribute="reviewed_at", column_name="reviewed_at", widget=IsoDateTimeWidget()
    )

    class Meta:
        model = Payment
        fields = COLUMNS
        export_order = COLUMNS

    def filter_export(self, queryset, **kwargs):
        # The rows need neither the order (its id is on the payment) nor the raw body: a large
        # export spends its time turning database values into objects.
        return queryset.select_related(None).defer("payload")
