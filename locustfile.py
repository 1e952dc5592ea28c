"""Load test of the Orders & Inventory service (original spec Part J).

Shoppers read 80% of the time (product list and product detail) and write 20% (create a product
with a fresh SKU, place an order on a product of a seeded pool, so reads and orders hit real
data). Two named scenarios, each run to completion by the shape below:

    light   25 users, spawn 5/s,  60 s
    heavy  200 users, spawn 20/s, 60 s

    make loadtest SCENARIO=heavy BASE_URL=http://127.0.0.1:8000          # headless + reports
    locust -f locustfile.py --host http://127.0.0.1:8000 --scenario light   # web UI

Without --scenario, Locust's own --users/--spawn-rate/--run-time apply, as in the original spec.
At the end (headless or not) it writes `<report-dir>/loadtest-<scenario>.md` with median, p95,
p99, RPS and error rate per endpoint, prints the Part K SLO verdicts (PASS/FAIL per line), and
checks that every pooled product's stock plus its non-canceled order units equals its initial
stock. The exit code is 1 when stock is inconsistent (or, with --slo-strict, an SLO fails).
API_KEY from the environment is sent as a bearer token.
"""

from __future__ import annotations

import os
import platform
import random
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests
from locust import HttpUser, LoadTestShape, between, events, task

from loadtest.report import EndpointFigures, report_markdown, slo_evaluate
from loadtest.stock import stock_discrepancies


@dataclass(frozen=True)
class Scenario:
    users: int
    spawn_rate: float
    seconds: int


SCENARIOS = {
    "light": Scenario(users=25, spawn_rate=5, seconds=60),
    "heavy": Scenario(users=200, spawn_rate=20, seconds=60),
}
POOL_STOCK = 1_000_000  # so orders never run out during a run: a 409 would be a false error
API_KEY = os.environ.get("API_KEY", "")

# Product id -> stock when seeded; filled at test start, read by shoppers and the final check.
pool: dict[int, int] = {}
_started: dict[str, float] = {}


@events.init_command_line_parser.add_listener
def _add_options(parser):
    parser.add_argument(
        "--scenario",
        choices=sorted(SCENARIOS),
        default=None,
        help="named load profile; --run-time, when given, shortens it",
    )
    parser.add_argument("--pool-size", type=int, default=20, help="products seeded for orders")
    parser.add_argument("--report-dir", default="reports", help="where the Markdown report goes")
    parser.add_argument(
        "--slo-strict",
        action="store_true",
        help="exit 1 when an SLO line fails (default: report only)",
    )


def _session() -> requests.Session:
    session = requests.Session()
    if API_KEY:
        session.headers["Authorization"] = f"Bearer {API_KEY}"
    return session


@events.test_start.add_listener
def _seed_pool(environment, **_):
    """Creates the product pool through the API (outside the measured statistics)."""
    options = environment.parsed_options
    session, run = _session(), uuid.uuid4().hex[:8].upper()
    pool.clear()
    for number in range(options.pool_size):
        response = session.post(
            f"{environment.host.rstrip('/')}/products/",
            timeout=30,
            json={
                "sku": f"LOAD-POOL-{run}-{number}",
                "name": f"Load test pool product {number}",
                "price": 9.99,
                "stock": POOL_STOCK,
            },
        )
        response.raise_for_status()
        pool[response.json()["id"]] = POOL_STOCK
    _started["at"] = time.time()
    _started["load"] = os.getloadavg()[0]


class Shopper(HttpUser):
    """A client of the store: mostly browsing, sometimes creating products and ordering."""

    wait_time = between(0.1, 0.5)

    def on_start(self):
        if API_KEY:
            self.client.headers["Authorization"] = f"Bearer {API_KEY}"

    @task(5)
    def list_products(self):
        self.client.get("/products/", params={"skip": 0, "limit": 20}, name="/products")

    @task(3)
    def get_product(self):
        self.client.get(f"/products/{random.choice(list(pool))}", name="/products/{id}")

    @task(1)
    def create_product(self):
        self.client.post(
            "/products/",
            name="/products",
            json={
                "sku": f"LOAD-{uuid.uuid4().hex.upper()}",
                "name": "Load test product",
                "price": round(random.uniform(1, 500), 2),
                "stock": random.randint(0, 100),
            },
        )

    @task(1)
    def create_order(self):
        self.client.post(
            "/orders/",
            name="/orders",
            json={"product_id": random.choice(list(pool)), "quantity": random.randint(1, 3)},
        )


class ScenarioShape(LoadTestShape):
    """Holds the chosen scenario's users for its duration, then stops the run.

    Without --scenario it follows --users/--spawn-rate/--run-time, so the original spec's
    command lines work unchanged.
    """

    use_common_options = True

    def tick(self):
        options = self.runner.environment.parsed_options
        if options.scenario:
            scenario = SCENARIOS[options.scenario]
            users, rate, seconds = (
                scenario.users,
                scenario.spawn_rate,
                options.run_time or scenario.seconds,
            )
        else:
            users, rate, seconds = options.num_users or 1, options.spawn_rate or 1, options.run_time
        if seconds and self.get_run_time() >= seconds:
            return None
        return users, rate


def _figures(entry, name: str) -> EndpointFigures:
    return EndpointFigures(
        name=name,
        requests=entry.num_requests,
        failures=entry.num_failures,
        median_ms=entry.get_response_time_percentile(0.5) or 0,
        p95_ms=entry.get_response_time_percentile(0.95) or 0,
        p99_ms=entry.get_response_time_percentile(0.99) or 0,
        rps=entry.total_rps,
    )


@events.quitting.add_listener
def _report(environment, **_):
    """Writes the Markdown report, prints the SLO lines, checks stock, sets the exit code."""
    if not pool or environment.runner is None:
        return
    options = environment.parsed_options
    stats = environment.stats
    endpoints = [
        _figures(entry, f"{entry.method} {entry.name}")
        for entry in sorted(stats.entries.values(), key=lambda e: (e.name, e.method))
    ]
    total = _figures(stats.total, "total")
    slo = slo_evaluate(total)
    problems = stock_discrepancies(_session(), environment.host.rstrip("/"), pool)

    name = options.scenario or "custom"
    profile = (
        SCENARIOS[name]
        if options.scenario
        else Scenario(options.num_users or 1, options.spawn_rate or 1, options.run_time or 0)
    )
    seconds = round(time.time() - _started.get("at", time.time()))
    context = [
        f"Target: {environment.host}",
        f"Scenario: {name} — {profile.users} users, spawn {profile.spawn_rate:g}/s, "
        f"ran {seconds} s",
        (
            f"Load generator and server: {platform.node()}, {os.cpu_count()} cores, "
            f"load average {_started.get('load', 0):.2f} at start, {os.getloadavg()[0]:.2f} at end"
        ),
        f"Finished {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
    ]
    markdown = report_markdown(
        title=f"Load test report: {name}",
        context=context,
        endpoints=endpoints,
        total=total,
        slo=slo,
        stock_problems=problems,
        products_checked=len(pool),
    )
    report_dir = Path(options.report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / f"loadtest-{name}.md"
    path.write_text(markdown)

    print(f"\n{markdown}")
    for line in slo:
        print(f"SLO {line.objective} {line.target}: measured {line.measured} -> {line.verdict}")
    print(f"Stock consistency over {len(pool)} products: {'FAIL' if problems else 'PASS'}")
    print(f"Report written to {path}")
    slo_failed = not all(line.passed for line in slo)
    environment.process_exit_code = 1 if problems or (options.slo_strict and slo_failed) else 0
