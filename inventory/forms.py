"""Staff forms: the product form of the admin and the stock adjustment form."""

from decimal import Decimal

from django import forms

from inventory.models import Product, StockMovement, default_reorder_level
from inventory.selectors import product_sku_taken
from webstore.api.fields import MAX_COUNT


class ProductAdminForm(forms.ModelForm):
    """Catalog fields with the API's bounds; stock appears only when adding a product."""

    price = forms.DecimalField(min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    stock = forms.IntegerField(
        min_value=0,
        max_value=MAX_COUNT,
        initial=0,
        help_text="Starting stock (recorded in the ledger).",
    )
    reorder_level = forms.IntegerField(
        min_value=0,
        max_value=MAX_COUNT,
        initial=default_reorder_level,
        help_text="At or below this stock count the product counts as low stock.",
    )

    class Meta:
        model = Product
        fields = ["sku", "name", "price", "stock", "reorder_level"]

    def clean_sku(self) -> str:
        # Friendly form error for the common case; the service and the unique index still
        # decide under concurrency (the admin turns their SkuConflict into a message).
        sku = self.cleaned_data["sku"]
        if product_sku_taken(sku=sku, exclude_pk=self.instance.pk):
            raise forms.ValidationError(f"Product with SKU '{sku}' already exists.")
        return sku


class StockAdjustForm(forms.Form):
    """A stock change by a signed amount or to a counted number, with the reason and a note."""

    MODE_DELTA = "delta"
    MODE_COUNT = "count"
    REASONS = [
        (StockMovement.Reason.RESTOCK, StockMovement.Reason.RESTOCK.label),
        (StockMovement.Reason.ADJUSTMENT, StockMovement.Reason.ADJUSTMENT.label),
    ]

    mode = forms.ChoiceField(
        choices=[
            (MODE_DELTA, "Change by (+ adds, − removes)"),
            (MODE_COUNT, "Set to a counted number"),
        ],
        widget=forms.RadioSelect,
        initial=MODE_DELTA,
    )
    quantity = forms.IntegerField(min_value=-MAX_COUNT, max_value=MAX_COUNT)
    reason = forms.ChoiceField(choices=REASONS, initial=StockMovement.Reason.RESTOCK)
    note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Why, for the ledger (delivery number, stocktake, damaged goods...).",
    )

    def clean(self):
        cleaned = super().clean()
        mode, quantity = cleaned.get("mode"), cleaned.get("quantity")
        if quantity is None:
            return cleaned
        if mode == self.MODE_DELTA and quantity == 0:
            self.add_error("quantity", "A change of 0 changes nothing.")
        if mode == self.MODE_COUNT and quantity < 0:
            self.add_error("quantity", "A counted number cannot be negative.")
        return cleaned
