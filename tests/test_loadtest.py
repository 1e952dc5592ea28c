"""The load test's own logic: SLO verdicts, the report, the stock check, and one tiny real run."""

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from loadtest.report import EndpointFigures, report_markdown, slo_evaluate
from loadtest.stock import order_units, stock_discrepancies

PROJECT_DIR = Path(__file__).resolve().parent.parent


def figures(*, requests_=1000, failures=0, p95=150.0, p99=400.0) -> EndpointFigures:
    return EndpointFigures(
        "total", requests_, failures, median_ms=20, p95_ms=p95, p99_ms=p99, rps=50
    )


def verdicts(total: EndpointFigures) -> list[tuple[str, bool]]:
    return [(line.objective, line.passed) for line in slo_evaluate(total)]


def test_slo_passes_inside_every_limit():
    assert verdicts(figures()) == [
        ("p95 latency", True),
        ("p99 latency", True),
        ("error rate", True),
    ]


def test_slo_fails_each_line_at_its_limit():
    assert verdicts(figures(p95=200, p99=500, failures=1)) == [
        ("p95 latency", False),
        ("p99 latency", False),
        ("error rate", False),
    ]


def test_slo_error_rate_below_a_tenth_of_a_percent_passes():
    assert verdicts(figures(requests_=10_000, failures=9))[2] == ("error rate", True)
    assert verdicts(figures(requests_=10_000, failures=10))[2] == ("error rate", False)


def test_a_run_without_requests_passes_nothing():
    assert [passed for _, passed in verdicts(figures(requests_=0, p95=0, p99=0))] == [False] * 3


def test_report_lists_endpoints_slo_and_stock_verdict():
    endpoint = EndpointFigures("GET /products", 800, 2, 12, 80, 150, 40.5)
    total = figures(requests_=800, failures=2, p95=80, p99=150)
    markdown = report_markdown(
        title="Load test report: light",
        context=["Target: x"],
        endpoints=[endpoint],
        total=total,
        slo=slo_evaluate(total),
        stock_problems=["product 7: stock 1 + ordered 2 = 3, initial 4"],
        products_checked=5,
    )
    assert "| `GET /products` | 800 | 2 | 0.25% | 12 | 80 | 150 | 40.5 |" in markdown
    assert "| p95 latency | < 200 ms | 80 ms | PASS |" in markdown
    assert "| error rate | < 0.1% | 0.25% | FAIL |" in markdown
    assert "FAIL: 1 of 5 ordered products are inconsistent:\n- product 7:" in markdown


def test_stock_check_accepts_consistent_stock_and_names_a_discrepancy(live_server):
    session, url = requests.Session(), live_server.url
    product = session.post(
        f"{url}/products/", json={"sku": "LOAD-CHECK", "name": "Pool", "price": 5, "stock": 100}
    ).json()
    for quantity in (3, 4):
        order = session.post(
            f"{url}/orders/", json={"product_id": product["id"], "quantity": quantity}
        )
        assert order.status_code == 201
    assert session.delete(f"{url}/orders/{order.json()['id']}").status_code == 204
    other = session.post(
        f"{url}/products/", json={"sku": "LOAD-OTHER", "name": "Other", "price": 1, "stock": 10}
    ).json()
    items = [
        {"product_id": other["id"], "quantity": 9},
        {"product_id": product["id"], "quantity": 2},
    ]
    assert session.post(f"{url}/orders/", json={"items": items}).status_code == 201
    assert stock_discrepancies(session, url, {product["id"]: 100, other["id"]: 10}) == []

    assert session.patch(f"{url}/products/{product['id']}", json={"stock": 90}).status_code == 200
    assert stock_discrepancies(session, url, {product["id"]: 100}) == [
        f"product {product['id']}: stock 90 + ordered 5 = 95, initial 100"
    ]


@pytest.mark.parametrize(
    ("order", "units"),
    [
        ({"product_id": 7, "quantity": 3}, 3),
        # A server that ignores the product_id filter lists other products' orders too.
        ({"product_id": 8, "quantity": 3}, 0),
        (
            {
                "product_id": None,
                "quantity": 5,
                "items": [{"product_id": 8, "quantity": 1}, {"product_id": 7, "quantity": 4}],
            },
            4,
        ),
    ],
)
def test_stock_check_counts_only_the_products_units(order, units):
    assert order_units(order, 7) == units


def test_locustfile_runs_headless_and_writes_its_report(live_server, tmp_path):
    """A tiny real run: users shop, the report is written, the stock check passes (exit 0)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            "locustfile.py",
            "--headless",
            "--only-summary",
            "--host",
            live_server.url,
            "--users",
            "2",
            "--spawn-rate",
            "2",
            "--run-time",
            "3s",
            "--pool-size",
            "2",
            "--report-dir",
            str(tmp_path),
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = (tmp_path / "loadtest-custom.md").read_text()
    assert "- Scenario: custom — 2 users, spawn 2/s" in report
    assert "| **total** |" in report
    assert "PASS: for all 2 ordered products" in report
    assert "SLO p95 latency < 200 ms: measured" in result.stdout
