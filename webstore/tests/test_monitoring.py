"""The monitoring files (monitoring/): promtool's checks and unit tests of the rules, and a real
Prometheus (Debian's package) scraping a live gunicorn with the project's configuration and
rules: the rules load and evaluate, the target is up, and every metric the rules and the
Grafana dashboard read is in the scrape."""

import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
import yaml

from webstore.tests.test_server_observability import migrated_sqlite

PROJECT_DIR = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = PROJECT_DIR / "monitoring" / "prometheus"
RULES = PROMETHEUS_DIR / "alerts.yml"
DASHBOARD = PROJECT_DIR / "monitoring" / "grafana" / "dashboards" / "webstore.json"
PROMTOOL = os.environ.get("PROMTOOL_PATH", "/usr/bin/promtool")
PROMETHEUS = os.environ.get("PROMETHEUS_PATH", "/usr/bin/prometheus")
METRICS_TOKEN = "monitoring-test-token"
WAIT_LIMIT_SECONDS = 90
# A metric name in PromQL that is not part of a recording rule's name (those hold colons).
METRIC_NAME = re.compile(r"(?<![:\w])(?:webstore_[a-z0-9_]+|up)(?![:\w])")


@pytest.fixture(scope="session")
def prometheus_installed() -> None:
    """Debian's prometheus, installed by `make prometheus` (as root, with apt-get) if missing."""
    if not (os.access(PROMTOOL, os.X_OK) and os.access(PROMETHEUS, os.X_OK)):
        subprocess.run(["make", "--no-print-directory", "prometheus"], cwd=PROJECT_DIR, timeout=900)
    assert os.access(PROMTOOL, os.X_OK) and os.access(PROMETHEUS, os.X_OK), (
        f"promtool/prometheus not found at {PROMTOOL}, {PROMETHEUS}: `make prometheus` installs "
        "Debian's package when run as root; otherwise `apt-get install prometheus` or set "
        "PROMTOOL_PATH and PROMETHEUS_PATH."
    )


def promtool(*args: str, cwd: Path = PROMETHEUS_DIR) -> subprocess.CompletedProcess:
    return subprocess.run([PROMTOOL, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def rules() -> list[dict]:
    return [
        rule for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]
    ]


def dashboard_queries() -> list[str]:
    panels = json.loads(DASHBOARD.read_text())["panels"]
    return [target["expr"] for panel in panels for target in panel.get("targets", [])]


def metric_names(expressions) -> set[str]:
    return {name for expression in expressions for name in METRIC_NAME.findall(expression)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_promtool_check_rules_is_clean(prometheus_installed):
    checked = promtool("check", "rules", RULES.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip().splitlines()[-1].strip() == f"SUCCESS: {len(rules())} rules found"
    assert "WARNING" not in checked.stdout + checked.stderr


def test_promtool_unit_tests_pass(prometheus_installed):
    test_files = sorted(PROMETHEUS_DIR.glob("*test*.yml"))
    assert [path.name for path in test_files] == ["alerts_test.yml"]
    for path in test_files:
        tested = promtool("test", "rules", path.name)
        assert tested.returncode == 0, tested.stdout + tested.stderr
        assert tested.stdout.split()[-1] == "SUCCESS"


def test_every_alert_is_tested_firing_and_not_firing():
    cases = [
        case
        for path in PROMETHEUS_DIR.glob("*test*.yml")
        for test in yaml.safe_load(path.read_text())["tests"]
        for case in test.get("alert_rule_test", [])
    ]
    alerts = {rule["alert"] for rule in rules() if "alert" in rule}
    assert {case["alertname"] for case in cases if case["exp_alerts"]} == alerts
    assert {case["alertname"] for case in cases if not case["exp_alerts"]} == alerts


def test_the_alerts_spec_asks_for_exist():
    alerts = {rule["alert"]: rule for rule in rules() if "alert" in rule}
    assert {
        "WebstoreHighErrorRate",
        "WebstoreHighLatencyP95",
        "WebstoreDatabaseConnectionFailures",
        "WebstoreErrorBudgetBurnFast",
        "WebstoreErrorBudgetBurnSlow",
    } <= set(alerts)
    assert alerts["WebstoreHighErrorRate"]["expr"] == "job:webstore_http_errors:ratio_rate5m > 0.01"
    assert alerts["WebstoreHighLatencyP95"]["expr"] == (
        "job:webstore_http_request_duration_seconds:p95_5m > 0.5"
    )


def test_the_dashboard_has_the_panels_spec_asks_for():
    titles = {panel["title"] for panel in json.loads(DASHBOARD.read_text())["panels"]}
    assert {
        "Request rate",
        "Latency p50 / p95 / p99",
        "Error rate (5xx)",
        "Database connections and failures",
        "Orders",
        "Insufficient stock",
        "Payment webhook outcomes",
    } <= titles


def test_the_prometheus_config_is_valid(prometheus_installed, tmp_path):
    for name in ("prometheus.yml", "alerts.yml"):
        shutil.copy(PROMETHEUS_DIR / name, tmp_path / name)
    (tmp_path / "metrics-token").write_text(METRICS_TOKEN)
    checked = promtool("check", "config", "prometheus.yml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    job = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())["scrape_configs"][0]
    assert (job["job_name"], job["metrics_path"], job["authorization"]["type"]) == (
        "webstore",
        "/metrics",
        "Bearer",
    )


class Prometheus:
    """A Prometheus server on a free port, with its own data folder, stopped by `stop()`."""

    def __init__(self, config: Path, folder: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "prometheus.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 (the server's lifetime)
        self.process = subprocess.Popen(
            [
                PROMETHEUS,
                f"--config.file={config}",
                f"--storage.tsdb.path={folder / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
                "--log.level=warn",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, deadline: float) -> None:
        """Waits until the server answers /-/ready (its storage and rules are loaded)."""
        while True:
            assert self.process.poll() is None, self.log_path.read_text()
            try:
                if requests.get(f"{self.url}/-/ready", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "Prometheus did not get ready"
            time.sleep(0.2)

    def api(self, path: str, **params):
        assert self.process.poll() is None, self.log_path.read_text()
        answer = requests.get(f"{self.url}/api/v1/{path}", params=params, timeout=10).json()
        assert answer["status"] == "success", answer
        return answer["data"]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def test_prometheus_scrapes_the_service_with_the_projects_rules(
    prometheus_installed, gunicorn, tmp_path
):
    server = gunicorn(
        port=free_port(),
        env={**migrated_sqlite(tmp_path), "WEB_CONCURRENCY": "2", "METRICS_TOKEN": METRICS_TOKEN},
    )
    # The project's scrape configuration, pointed at this server and evaluated every second.
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
    config["rule_files"] = [str(RULES)]
    job = config["scrape_configs"][0]
    job["static_configs"] = [{"targets": [f"127.0.0.1:{server.port}"]}]
    job["authorization"]["credentials_file"] = str(tmp_path / "metrics-token")
    (tmp_path / "metrics-token").write_text(METRICS_TOKEN)
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))

    def traffic():
        product = requests.post(
            server.url("/products"),
            json={"sku": f"P-{time.monotonic_ns()}", "name": "Pot", "price": "3.00", "stock": 1},
            timeout=10,
        ).json()
        for quantity in (1, 5):  # placed, then refused for stock
            requests.post(
                server.url("/orders"),
                json={"product_id": product["id"], "quantity": quantity},
                timeout=10,
            )
        requests.get(server.url("/products"), timeout=10)

    traffic()
    prometheus = Prometheus(tmp_path / "prometheus.yml", tmp_path)
    try:
        deadline = time.monotonic() + WAIT_LIMIT_SECONDS
        prometheus.wait_ready(deadline)
        while True:
            traffic()
            targets = prometheus.api("targets")["activeTargets"]
            groups = prometheus.api("rules")["groups"]
            evaluated = all(
                rule["health"] == "ok" and rule["lastEvaluation"] > "2000"
                for group in groups
                for rule in group["rules"]
            )
            recorded = [
                rule["name"]
                for group in groups
                for rule in group["rules"]
                if rule["type"] == "recording"
            ]
            with_samples = [
                name for name in recorded if prometheus.api("query", query=name)["result"]
            ]
            if targets and targets[0]["health"] == "up" and evaluated and with_samples == recorded:
                break
            assert time.monotonic() < deadline, (targets, groups, with_samples)
            time.sleep(1)

        assert [(t["labels"]["job"], t["health"], t["lastError"]) for t in targets] == [
            ("webstore", "up", "")
        ]
        assert {group["file"] for group in groups} == {str(RULES)}
        assert sum(len(group["rules"]) for group in groups) == len(rules())

        needed = metric_names([rule["expr"] for rule in rules()] + dashboard_queries())
        assert {"webstore_http_requests_total", "webstore_db_connection_failures_total"} <= needed
        stored = set(prometheus.api("label/__name__/values", **{"match[]": '{job="webstore"}'}))
        assert needed - stored == set()
        scrape = requests.get(
            server.url("/metrics"), headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10
        ).text
        exported = {
            line.split("{")[0].split(" ")[0]
            for line in scrape.splitlines()
            if not line.startswith("#")
        }
        # `up` is Prometheus's own record of each scrape; everything else the service exports.
        assert needed - exported == {"up"}

        # Every dashboard query runs and has data, with Grafana's variables filled in.
        for query in dashboard_queries():
            filled = query.replace("$__rate_interval", "15s").replace("$job", "webstore")
            assert prometheus.api("query", query=filled)["result"], filled
    finally:
        prometheus.stop()
