"""The store's admin site: its name on every page and the dashboard on the index."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest

from webstore.backoffice.dashboard import Dashboard, DashboardDays, DashboardSection

SectionProvider = Callable[[HttpRequest, DashboardDays], Iterable[DashboardSection]]


class StoreAdminSite(admin.AdminSite):
    """Carries STORE_NAME instead of "Django administration" and opens on the dashboard.

    Apps add dashboard sections with `register_dashboard_section`; each provider reads its own
    app's selectors and returns no section to a user who may not see the list behind it.
    """

    index_template = "admin/backoffice/index.html"
    # The service has no public site to link to ("/" is the API).
    site_url = None

    def __init__(self, name="admin"):
        super().__init__(name)
        self._dashboard_providers: list[tuple[int, SectionProvider]] = []

    # Read per request, so the name follows the settings (and tests that override them).
    @property
    def site_header(self) -> str:
        return settings.STORE_NAME

    @property
    def site_title(self) -> str:
        return settings.STORE_NAME

    @property
    def index_title(self) -> str:
        return f"{settings.STORE_NAME} back office"

    def register_dashboard_section(self, provider: SectionProvider, *, position: int) -> None:
        """Adds a provider of dashboard sections; sections show in `position` order."""
        self._dashboard_providers.append((position, provider))
        self._dashboard_providers.sort(key=lambda entry: entry[0])

    def dashboard(self, request: HttpRequest) -> Dashboard:
        days = DashboardDays.current()
        sections = [
            section
            for _, provider in self._dashboard_providers
            for section in provider(request, days)
        ]
        return Dashboard(days=days, sections=sections)

    def index(self, request, extra_context=None):
        return super().index(
            request, {"dashboard": self.dashboard(request), **(extra_context or {})}
        )
