"""The admin index's dashboard: sections of figures, each linking to the list behind it, and a
chart of the last days.

A day is a calendar day in the current time zone (settings.TIME_ZONE; nothing activates
another), the same days the admin's date filters use, so a figure and the list it links to
count the same rows.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from webstore.backoffice.charts import BarLineChart


@dataclass(frozen=True)
class DashboardDays:
    """The back office's calendar: today and the days before it, in the current time zone."""

    today: date

    @classmethod
    def current(cls) -> "DashboardDays":
        return cls(today=timezone.localdate())

    def last(self, count: int) -> list[date]:
        """The `count` days ending today, oldest first."""
        return [self.today - timedelta(days=back) for back in range(count - 1, -1, -1)]

    @staticmethod
    def start(day: date) -> datetime:
        """The first instant of `day` (aware)."""
        return timezone.make_aware(datetime.combine(day, time.min))

    def span(self, count: int) -> tuple[datetime, datetime]:
        """[start, end) of the last `count` days: from the first one's midnight to tomorrow's."""
        return self.start(self.last(count)[0]), self.start(self.today + timedelta(days=1))


def changelist_url(app_label: str, model_name: str, **filters) -> str:
    """A changelist URL with its filter query, e.g. `status__exact=PAID`."""
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def span_filters(field_name: str, span: tuple[datetime, datetime]) -> dict[str, str]:
    """A date range as the admin's date filters write it (`<field>__gte`, `<field>__lt`)."""
    since, until = span
    return {f"{field_name}__gte": str(since), f"{field_name}__lt": str(until)}


@dataclass(frozen=True)
class Figure:
    """One number on the dashboard: `metric` names it in the page (`data-metric`)."""

    metric: str
    label: str
    value: str
    url: str
    hint: str = ""
    unit: str = ""
    # Something for staff to do (orders to ship, payments to review) is highlighted.
    needs_action: bool = False


@dataclass(frozen=True)
class DashboardSection:
    title: str
    figures: tuple[Figure, ...] = ()
    chart: BarLineChart | None = None


@dataclass(frozen=True)
class Dashboard:
    days: DashboardDays
    sections: list[DashboardSection] = field(default_factory=list)

    @property
    def figure_sections(self) -> list[DashboardSection]:
        return [section for section in self.sections if section.figures]

    @property
    def charts(self) -> list[BarLineChart]:
        return [section.chart for section in self.sections if section.chart is not None]

    @property
    def time_zone(self) -> str:
        return timezone.get_current_timezone_name()
