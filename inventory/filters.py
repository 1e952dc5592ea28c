"""Query filters for the product list."""

from django.db.models import Q
from django_filters import rest_framework as filters

from inventory.models import Product
from webstore.api.filters import StrictBooleanFilter, TextFilter


class ProductFilter(filters.FilterSet):
    search = TextFilter(
        method="filter_search", max_length=255, help_text="Substring of the name or SKU (any case)."
    )
    sku = TextFilter(field_name="sku", max_length=64, help_text="Exact SKU.")
    in_stock = StrictBooleanFilter(
        method="filter_in_stock", help_text="`true`: stock > 0; `false`: stock = 0."
    )

    class Meta:
        model = Product
        fields = ["search", "sku", "in_stock"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(sku__icontains=value))

    def filter_in_stock(self, queryset, name, value):
        return queryset.in_stock() if value else queryset.out_of_stock()
