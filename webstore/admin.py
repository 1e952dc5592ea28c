"""Admin pieces shared by the apps' ModelAdmins (domain errors become messages, never
500s), and the staff admin for API keys: create (the key is shown once), list, revoke.
"""
from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from webstore.exceptions import DomainError
from webstore.models import ApiKey
from webstore.services import api_key_create, api_key_revoke


def report_per_row(
    model_admin,
    request,
    rows: Iterable,
    *,
    apply: Callable,
    done: str,
    describe_failure: Callable[[object, DomainError], str],
) -> None:
    """Runs a service on each row; one success message with the count, one error per failure.

    Each row is its own transaction (the services are atomic), so one failure does not undo
    the others.
    """
    succeeded = 0
    for row in rows:
        try:
            apply(row)
        except DomainError as error:
            model_admin.message_user(request, describe_failure(row, error), messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        noun = model_ngettext(model_admin.opts, succeeded)
        model_admin.message_user(request, f"{succeeded} {noun} {done}.", messages.SUCCESS)


class DomainErrorsAsMessagesMixin:
    """A domain error the form could not foresee (a race) is shown as a message, not a 500."""

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except DomainError as error:
            self.message_user(request, f"Not saved: {error.detail}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdminMixin:
    """For records only the services write (ledger rows, processed webhook events).

    Staff may look, not add, change or delete.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
            api_key.pk, api_key.prefix, api_key.key_hash, api_key.created_at
        )
        request._new_api_key_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        # The only time the key is visible: render it in this response, never in a message
        # (messages may travel in a cookie) or the database.
        return TemplateResponse(
            request,
            "admin/webstore/apikey/created.html",
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
