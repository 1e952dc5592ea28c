"""Staff admin for products and the stock ledger.

Stock is read-only here: it changes only through services that write a ledger row.
"""
from django.contrib import admin

from inventory.models import Product, StockMovement


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "price", "stock", "archived_at", "updated_at"]
    search_fields = ["sku", "name"]
    readonly_fields = ["stock", "archived_at", "created_at", "updated_at"]

    def has_add_permission(self, request):
        # New products must start their ledger; they are created through the API for now.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    list_display = ["created_at", "product", "delta", "reason", "order_id", "actor"]
    list_filter = ["reason"]
    list_select_related = ["product"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
