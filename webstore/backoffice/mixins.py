"""Admin pieces shared by the apps' ModelAdmins: domain errors become messages, never 500s."""

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.contrib.admin.utils import model_ngettext
from django.http import HttpResponseRedirect

from webstore.api.exceptions import DomainError


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
