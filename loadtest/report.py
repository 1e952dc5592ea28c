"""The load-test report: per-endpoint figures, the Part K SLO verdicts, and their Markdown."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EndpointFigures:
    """What one endpoint (or the total) measured over a run; latencies in milliseconds."""

    name: str
    requests: int
    failures: int
    median_ms: float
    p95_ms: float
    p99_ms: float
    rps: float

    @property
    def error_rate(self) -> float:
        """Failed share of requests, 0..1 (0 when nothing was sent)."""
        return self.failures / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class SloResult:
    """One SLO line: what was promised, what was measured, and whether it held."""

    objective: str
    target: str
    measured: str
    passed: bool

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "FAIL"


# Part K of the original specification: P95 < 200 ms, P99 < 500 ms, error rate < 0.1 %.
P95_LIMIT_MS = 200
P99_LIMIT_MS = 500
ERROR_RATE_LIMIT = 0.001


def slo_evaluate(total: EndpointFigures) -> list[SloResult]:
    """The three Part K objectives judged on the run's aggregate figures.

    A run that sent no request passes nothing: there is no evidence the objectives hold.
    """
    measured = total.requests > 0
    return [
        SloResult(
            "p95 latency",
            f"< {P95_LIMIT_MS} ms",
            f"{total.p95_ms:.0f} ms",
            measured and total.p95_ms < P95_LIMIT_MS,
        ),
        SloResult(
            "p99 latency",
            f"< {P99_LIMIT_MS} ms",
            f"{total.p99_ms:.0f} ms",
            measured and total.p99_ms < P99_LIMIT_MS,
        ),
        SloResult(
            "error rate",
            f"< {ERROR_RATE_LIMIT:.1%}",
            f"{total.error_rate:.2%}",
            measured and total.error_rate < ERROR_RATE_LIMIT,
        ),
    ]


def report_markdown(
    *,
    title: str,
    context: list[str],
    endpoints: list[EndpointFigures],
    total: EndpointFigures,
    slo: list[SloResult],
    stock_problems: list[str],
    products_checked: int,
) -> str:
    """The whole report as Markdown: context lines, the figures table, SLO and stock verdicts."""
    lines = [f"# {title}", ""]
    lines += [f"- {line}" for line in context]
    lines += [
        "",
        "| endpoint | requests | failures | error rate | median ms | p95 ms | p99 ms | RPS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in [*endpoints, total]:
        name = f"**{row.name}**" if row is total else f"`{row.name}`"
        lines.append(
            f"| {name} | {row.requests} | {row.failures} | {row.error_rate:.2%} | "
            f"{row.median_ms:.0f} | {row.p95_ms:.0f} | {row.p99_ms:.0f} | {row.rps:.1f} |"
        )
    lines += [
        "",
        "## SLO (original spec Part K)",
        "",
        "| objective | target | measured | result |",
        "|---|---|---:|---|",
    ]
    lines += [f"| {r.objective} | {r.target} | {r.measured} | {r.verdict} |" for r in slo]
    lines += ["", "## Stock consistency", ""]
    if stock_problems:
        lines.append(
            f"FAIL: {len(stock_problems)} of {products_checked} ordered products are inconsistent:"
        )
        lines += [f"- {problem}" for problem in stock_problems]
    else:
        lines.append(
            f"PASS: for all {products_checked} ordered products, stock + units in "
            "non-canceled orders == initial stock."
        )
    return "\n".join(lines) + "\n"
