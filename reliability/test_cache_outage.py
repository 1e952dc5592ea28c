"""Redis goes away under load: the API keeps serving, without rate limits, until it is back.

A gunicorn (2 workers, API keys required, low rate limits) keeps its rate-limit counters in a
`redis-server` of this test's own. While client threads send a steady mix of reads and writes,
Redis is killed (SIGKILL), shut down cleanly, or hung (SIGSTOP: connections accepted, never
answered), then brought back. Throughout, every request is answered and none with a 5xx;
during the outage no request is throttled (fail open), readiness stays 200 and names the cache,
each failed cache call is counted in /metrics and logged at most every few seconds; before and
after, a key's budget is enforced to the request.
"""

import math
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from inventory.services import product_create
from reliability.invariants import assert_stock_invariants
from reliability.servers import Gunicorn, RedisServer, database_url
from webstore.access.services import api_key_create
from webstore.cache import LOG_INTERVAL_SECONDS, RECHECK_SECONDS

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 4
RATE = 30
# Load requests answered in each phase: a bounded run, whatever the machine's speed.
REQUESTS_PER_PHASE = {"before": 60, "outage": 200, "after": 60}
INITIAL_STOCK = 100_000
CLIENT_TIMEOUT_SECONDS = 15
RECOVERY_LIMIT_SECONDS = 30
PHASE_LIMIT_SECONDS = 120
READY = {"status": "ready"}
DEGRADED = {"status": "ready", "degraded": {"cache": "unreachable"}}


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(workdir=tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(django_db_setup, redis_server):
    gunicorn = Gunicorn(
        database_url=database_url(),
        env={
            "REDIS_URL": redis_server.url,
            "REQUIRE_API_KEY": "true",
            "RATE_LIMIT_READ": f"{RATE}/minute",
            "RATE_LIMIT_WRITE": f"{RATE}/minute",
        },
    )
    yield gunicorn
    gunicorn.stop()


def new_key(name: str) -> dict:
    _, secret = api_key_create(name=name)
    return {"Authorization": f"Bearer {secret}"}


class Load:
    """CLIENTS threads, each with its own API key, sending reads and writes until stopped.

    Each request is recorded with the phase it started and ended in, so the assertions judge
    only requests that ran wholly inside a phase.
    """

    def __init__(self, url: str, product_id: int):
        self.url = url
        self.product_id = product_id
        self.phase = "before"
        self.records: list[tuple[str, str, int | str, float]] = []
        self._stop = threading.Event()
        self._keys = [new_key(f"load {n}") for n in range(CLIENTS)]

    def answered_in(self, phase: str) -> int:
        return sum(1 for start, end, _, _ in self.records if start == end == phase)

    def run(self, pool: ThreadPoolExecutor):
        return [pool.submit(self._client, headers) for headers in self._keys]

    def stop(self) -> None:
        self._stop.set()

    def _client(self, headers: dict) -> None:
        with requests.Session() as http:
            http.headers.update(headers)
            step = 0
            while not self._stop.is_set():
                step += 1
                if step % 3 == 0:
                    self._send(http, "POST", "/orders", {"product_id": self.product_id})
                elif step % 3 == 1:
                    self._send(http, "GET", "/products?limit=5")
                else:
                    self._send(http, "GET", f"/products/{self.product_id}")
                time.sleep(0.005)

    def _send(self, http: requests.Session, method: str, path: str, body=None) -> None:
        started, phase = time.monotonic(), self.phase
        if body is not None:
            body = {**body, "quantity": 1}
        try:
            response = http.request(
                method, f"{self.url}{path}", json=body, timeout=CLIENT_TIMEOUT_SECONDS
            )
            outcome: int | str = response.status_code
        except requests.RequestException as exc:
            outcome = type(exc).__name__
        self.records.append((phase, self.phase, outcome, time.monotonic() - started))
        if outcome == 201 and response.json()["id"] % 2:
            # Every other order is canceled: a write that restores stock, under the same limits.
            self._send(http, "DELETE", f"/orders/{response.json()['id']}")


def wait_for(condition, what: str, limit: float = PHASE_LIMIT_SECONDS) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


def readiness(url: str) -> tuple[int, dict]:
    response = requests.get(f"{url}/health/ready", timeout=CLIENT_TIMEOUT_SECONDS)
    return response.status_code, response.json()


def assert_budget_enforced(url: str, headers: dict) -> None:
    """The key's RATE reads in the window pass; the next one is throttled."""
    with requests.Session() as http:
        statuses = [
            http.get(f"{url}/products", headers=headers, timeout=CLIENT_TIMEOUT_SECONDS).status_code
            for _ in range(RATE + 1)
        ]
    assert statuses == [200] * RATE + [429]


def cache_errors(url: str) -> float:
    text = requests.get(f"{url}/metrics", timeout=CLIENT_TIMEOUT_SECONDS).text
    return sum(
        float(value)
        for value in re.findall(r"^webstore_cache_errors_total\{[^}]*\} (\S+)$", text, re.M)
    )


@pytest.mark.parametrize("failure", ["kill", "shutdown", "hang"])
def test_a_cache_outage_never_fails_a_request(failure, server, redis_server):
    product = product_create(
        sku=f"CACHE-{failure}", name="Cached", price="2.00", stock=INITIAL_STOCK
    )
    load = Load(server.url, product.pk)
    log_lines_before = server.log_path.read_text().count('"cache_unreachable"')
    errors_before = cache_errors(server.url)
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        clients = load.run(pool)
        try:
            assert readiness(server.url) == (200, READY)
            assert_budget_enforced(server.url, probe := new_key("probe"))
            wait_for(lambda: load.answered_in("before") >= REQUESTS_PER_PHASE["before"], "load")

            getattr(redis_server, failure)()
            outage_started = time.monotonic()
            load.phase = "outage"
            assert readiness(server.url) == (200, DEGRADED)
            # The probe's budget is spent, yet it is served: limits fail open.
            with requests.Session() as http:
                assert {
                    http.get(f"{server.url}/products", headers=probe, timeout=15).status_code
                    for _ in range(2 * RATE)
                } == {200}
            wait_for(lambda: load.answered_in("outage") >= REQUESTS_PER_PHASE["outage"], "load")
            assert readiness(server.url) == (200, DEGRADED)
            load.phase = "restoring"

            redis_server.restore()
            wait_for(
                lambda: readiness(server.url) == (200, READY), "readiness", RECOVERY_LIMIT_SECONDS
            )
            outage_seconds = time.monotonic() - outage_started
            # Every worker is past its pause after the last failure and asks Redis again.
            time.sleep(RECHECK_SECONDS + 0.5)
            load.phase = "after"
            assert_budget_enforced(server.url, new_key("probe after"))
            wait_for(lambda: load.answered_in("after") >= REQUESTS_PER_PHASE["after"], "load")
        finally:
            load.stop()
        for client in clients:
            client.result()

    outcomes = Counter(outcome for _, _, outcome, _ in load.records)
    in_outage = Counter(
        outcome for start, end, outcome, _ in load.records if start == end == "outage"
    )
    worst = max(seconds for *_, seconds in load.records)
    print(
        f"\ncache outage ({failure}): sent {len(load.records)}, answered "
        f"{sum(n for o, n in outcomes.items() if isinstance(o, int))}, 5xx "
        f"{sum(n for o, n in outcomes.items() if isinstance(o, int) and o >= 500)}, resets "
        f"{sum(n for o, n in outcomes.items() if isinstance(o, str))}; statuses {dict(outcomes)}; "
        f"in the outage ({outage_seconds:.1f} s) {dict(in_outage)}; slowest {worst:.2f} s"
    )
    # Every request answered, none with a 5xx, in every phase.
    assert set(outcomes) <= {200, 201, 204, 429}
    # While Redis is away nothing is throttled: reads and writes all pass.
    assert (
        set(in_outage) <= {200, 201, 204}
        and sum(in_outage.values()) >= REQUESTS_PER_PHASE["outage"]
    )
    # Each failed call is counted; the log has a line per worker every LOG_INTERVAL_SECONDS.
    assert cache_errors(server.url) - errors_before >= REQUESTS_PER_PHASE["outage"]
    log_lines = server.log_path.read_text().count('"cache_unreachable"') - log_lines_before
    assert 1 <= log_lines <= server.workers * (math.ceil(outage_seconds / LOG_INTERVAL_SECONDS) + 1)
    assert_stock_invariants(product, initial_stock=INITIAL_STOCK)
