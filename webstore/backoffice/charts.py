"""Charts for the back office as server-rendered SVG: no JavaScript, nothing from a CDN.

The geometry is computed here; the markup is the template's (admin/backoffice/chart.html).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 900, 250
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 48, WIDTH - 72, 16, HEIGHT - 36
TICKS = 4
BAR_SHARE = 0.62


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class XLabel:
    x: float
    text: str


@dataclass(frozen=True)
class BarLineChart:
    """Bars on the left axis and a line on the right one, over the same categories."""

    title: str
    bar_legend: str
    line_legend: str
    bars: tuple[Bar, ...]
    dots: tuple[Dot, ...]
    line_points: str
    bar_ticks: tuple[Tick, ...]
    line_ticks: tuple[Tick, ...]
    x_labels: tuple[XLabel, ...]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    plot_top: int = PLOT_TOP
    plot_bottom: int = PLOT_BOTTOM


def bar_line_chart(
    *,
    title: str,
    labels: Sequence[str],
    bars: Sequence[int],
    line: Sequence[Decimal],
    titles: Sequence[str],
    bar_legend: str,
    line_legend: str,
    label_every: int = 2,
) -> BarLineChart:
    """Lays out whole-number bars and a decimal line; every `label_every`-th category is
    labelled, counting back from the last, so the newest one always is."""
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(labels)
    bar_top, bar_step = _axis(max(bars, default=0), whole=True)
    line_top, line_step = _axis(float(max(line, default=0)), whole=False)
    height = PLOT_BOTTOM - PLOT_TOP
    centers = [PLOT_LEFT + slot * (index + 0.5) for index in range(len(labels))]
    bar_width = slot * BAR_SHARE
    drawn_bars = tuple(
        Bar(
            x=round(center - bar_width / 2, 1),
            y=round(PLOT_BOTTOM - value / bar_top * height, 1),
            width=round(bar_width, 1),
            height=round(value / bar_top * height, 1),
            title=text,
        )
        for center, value, text in zip(centers, bars, titles, strict=True)
    )
    dots = tuple(
        Dot(
            x=round(center, 1),
            y=round(PLOT_BOTTOM - float(value) / line_top * height, 1),
            title=text,
        )
        for center, value, text in zip(centers, line, titles, strict=True)
    )
    return BarLineChart(
        title=title,
        bar_legend=bar_legend,
        line_legend=line_legend,
        bars=drawn_bars,
        dots=dots,
        line_points=" ".join(f"{dot.x},{dot.y}" for dot in dots),
        bar_ticks=_ticks(bar_top, bar_step, height),
        line_ticks=_ticks(line_top, line_step, height),
        x_labels=tuple(
            XLabel(x=round(center, 1), text=text)
            for index, (center, text) in enumerate(zip(centers, labels, strict=True))
            if (len(labels) - 1 - index) % label_every == 0
        ),
    )


def _axis(maximum: float, *, whole: bool) -> tuple[float, float]:
    """(top, step) of an axis from 0 that holds `maximum` in TICKS round steps."""
    raw = max(maximum, 1) / TICKS
    magnitude = 10 ** math.floor(math.log10(raw))
    multiples = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in multiples if raw <= m * magnitude)
    if whole:
        step = max(1, round(step))
    return step * TICKS, step


def _ticks(top: float, step: float, height: float) -> tuple[Tick, ...]:
    return tuple(
        Tick(
            y=round(PLOT_BOTTOM - index * step / top * height, 1), text=_number(index * step, step)
        )
        for index in range(TICKS + 1)
    )


def _number(value: float, step: float) -> str:
    if step >= 1000:
        return f"{value / 1000:g}k"
    if float(step).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"
