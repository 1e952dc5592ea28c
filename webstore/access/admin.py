"""Staff admin for API keys: create (the key is shown once), list, revoke."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from webstore.access.models import ApiKey
from webstore.access.services import api_key_create, api_key_revoke


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    fields = ["name", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        # Created by the service so the secret is generated and only its hash stored.
        api_key, secret = api_key_create(name=obj.name)
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = (
            api_key.pk,
            api_key.prefix,
            api_key.key_hash,
            api_key.created_at,
        )
        request._new_api_key_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        # The only time the key is visible: render it in this response, never in a message
        # (messages may travel in a cookie) or the database.
        return TemplateResponse(
            request,
            "admin/access/apikey/created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "api_key": obj,
                "secret": request._new_api_key_secret,
                "title": "API key created",
            },
        )

    def has_delete_permission(self, request, obj=None):
        # Revoke instead: the row keeps who had access and when it ended.
        return False

    @admin.action(description="Revoke selected API keys")
    def revoke(self, request, queryset):
        for api_key in queryset:
            api_key_revoke(api_key=api_key)
        self.message_user(request, f"Revoked {queryset.count()} API key(s).", messages.SUCCESS)
