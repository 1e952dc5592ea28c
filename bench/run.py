"""The load benchmark: the service against the ceiling app, same gunicorn, same pinned core.

    python bench/run.py                       # SQLite, all scenarios, 2 rounds (about 15 min)
    python bench/run.py --db postgres         # the same on PostgreSQL (BENCH_PG_URL)
    python bench/run.py --duration 5 --rounds 1 --scenarios max12   # a smoke run
    python bench/run.py --targets ceiling,django,drf,service --scenarios max12   # the floors too

For every round and scenario it serves the ceiling, then the service (A B A B), each from a
fresh copy of the seeded database: gunicorn with gunicorn.conf.py in production mode on CPU 0,
Locust (FastHttpUser, headless) on CPU 1. RPS is the number of requests completed inside the
measured window (all users spawned -> end) divided by its length, so a stalled server shows as
a low RPS and errors, not as Locust's running average. After every service run the oversell
check must find 0. The result is printed (and written to reports/) as a Markdown table.
With `--targets`, the stack's floors (bench/floor: Django and DRF views returning the ceiling's
JSON) run between the ceiling and the service, in the same rotation.

`--external NAME=URL` (repeatable) puts a server that is already running into the rotation,
after the floors and before the service, with the same scenarios and load generator. The bench
does not own its process or its database: before each of its runs it runs the
`--external-restart NAME=COMMAND` shell command if one is given (which must leave the server
answering `GET /health` at URL on a fresh database; the bench waits for it), seeds a pool of its
own through the API (`POST /products/`, SKUs unique to the run) and after the run checks for
oversell through the API (`loadtest.stock`: stock + ordered units == seeded stock). Without a
restart command its data carries over from run to run, and the report says so. Pin it to the
server core yourself (`taskset -c 0 ...`); the report shows the CPUs it may use. Start it from
the bench's session (let the restart command start it, or use the same terminal): with Linux's
autogroup scheduling a core is shared between sessions, not processes, and a server in another
session gets another share of CPU 0 (the report warns when it sees that).
"""

import argparse
import datetime
import json
import math
import os
import platform
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
# Run as a script (`python bench/run.py`), so the project's packages are not on the path yet.
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

from loadtest.stock import stock_discrepancies  # noqa: E402

BIN = Path(sys.executable).parent
SERVER_CPU, LOADGEN_CPU = "0", "1"
POOL_STOCK = 1_000_000
SERVER_ENV = {
    # Production mode with throwaway secrets; no access log (a write per request). API keys and
    # rate limits are off: one load generator on one IP would be throttled, not measured.
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-insecure-key",
    "WEBHOOK_SECRET": "bench-only-webhook-secret",
    "ACCESS_LOG": "false",
    "REQUIRE_API_KEY": "false",
    "RATE_LIMIT_READ": "off",
    "RATE_LIMIT_WRITE": "off",
}


# What each target serves: a WSGI app (None: the service's own) and the environment it needs.
TARGETS = {
    "ceiling": ("bench.ceiling:application", {}),
    "django": (None, {"DJANGO_SETTINGS_MODULE": "bench.floor.settings", "BENCH_FLOOR": "django"}),
    "drf": (None, {"DJANGO_SETTINGS_MODULE": "bench.floor.settings", "BENCH_FLOOR": "drf"}),
    "service": (None, {}),
}
FLOORS = ("django", "drf")


@dataclass(frozen=True)
class Scenario:
    users: int
    spawn_rate: float
    duration: int
    think: bool

    @property
    def ramp(self) -> int:
        return math.ceil(self.users / self.spawn_rate)


SCENARIOS = {
    "light": Scenario(users=25, spawn_rate=5, duration=60, think=True),
    "heavy": Scenario(users=200, spawn_rate=20, duration=60, think=True),
    "max12": Scenario(users=12, spawn_rate=12, duration=30, think=False),
    "max64": Scenario(users=64, spawn_rate=64, duration=30, think=False),
}


@dataclass
class Result:
    rps: float
    p50: float | None
    p95: float | None
    p99: float | None
    error_pct: float
    requests: int
    load: float
    cpu_ms: float | None = None
    worker_rss_mb: float | None = None
    oversold: int | None = None
    ledger_mismatch: int | None = None


class Database:
    """A seeded template, copied fresh for every service run."""

    def __init__(self, kind: str, workdir: Path, pg_url: str, products: int):
        self.kind, self.workdir, self.products = kind, workdir, products
        if kind == "sqlite":
            self.template = workdir / "template.sqlite3"
            self.url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        else:
            base, _, self.name = pg_url.rpartition("/")
            self.admin_url, self.template_name = f"{base}/postgres", f"{self.name}_template"
            self.url = pg_url
        self.product_ids: list[int] = []

    def prepare(self) -> None:
        if self.kind == "sqlite":
            url = f"sqlite:///{self.template}"
        else:
            self._sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._sql(f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)')
            self._sql(f'CREATE DATABASE "{self.template_name}"')
            url = self.url.rpartition("/")[0] + f"/{self.template_name}"
        out = _django(
            "seed", "--products", str(self.products), "--stock", str(POOL_STOCK), db_url=url
        )
        self.product_ids = json.loads(out)

    def reset(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(self.url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
            shutil.copyfile(self.template, self.url.removeprefix("sqlite:///"))
        else:
            self._sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._sql(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template_name}"')

    def check(self) -> dict:
        ids = ",".join(map(str, self.product_ids))
        return json.loads(
            _django("check", "--ids", ids, "--stock", str(POOL_STOCK), db_url=self.url)
        )

    def drop(self) -> None:
        if self.kind == "postgres":
            self._sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._sql(f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)')

    def _sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(statement)


def _gunicorn_settings() -> dict:
    """The worker model the servers will use, read from gunicorn.conf.py.

    The config imports the project's settings and prepares a metrics folder in the environment;
    the environment is restored afterwards so no child process inherits that folder. It is read
    on the server's core, as the pinned server reads it (the default worker count is the number
    of cores a process may use).
    """
    saved, affinity = dict(os.environ), os.sched_getaffinity(0)
    sys.path.insert(0, str(ROOT))
    try:
        os.environ.update({key: value for key, value in SERVER_ENV.items() if key not in saved})
        os.sched_setaffinity(0, {int(SERVER_CPU)})
        return runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    finally:
        os.sched_setaffinity(0, affinity)
        os.environ.clear()
        os.environ.update(saved)
        sys.path.remove(str(ROOT))


def _django(*args: str, db_url: str) -> str:
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": db_url}
    done = subprocess.run(
        [sys.executable, "-m", "bench.pool", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"bench.pool {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


class Server:
    """gunicorn with the project's gunicorn.conf.py, pinned to the server core."""

    def __init__(self, target: str, port: int, db_url: str, log: Path):
        app, target_env = TARGETS[target]
        cmd = ["taskset", "-c", SERVER_CPU, str(BIN / "gunicorn"), "--config", "gunicorn.conf.py"]
        if app:
            cmd.append(app)
        env = {
            **os.environ,
            **SERVER_ENV,
            **target_env,
            "DATABASE_URL": db_url,
            "BIND": f"127.0.0.1:{port}",
        }
        env.pop("PORT", None)
        self.url = f"http://127.0.0.1:{port}"
        self.log = log.open("w")
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=self.log)

    def wait_ready(self, product_ids: list[int], timeout: float = 30) -> None:
        try:
            _wait_healthy(self.url, timeout, self.process)
        except RuntimeError as exc:
            raise RuntimeError(f"gunicorn: {exc}; see {self.log.name}") from None
        _warm(self.url, product_ids)

    def processes(self) -> list[psutil.Process]:
        master = psutil.Process(self.process.pid)
        return [master, *master.children(recursive=True)]

    def worker_rss_mb(self) -> float:
        workers = psutil.Process(self.process.pid).children(recursive=True)
        return max(w.memory_info().rss for w in workers) / 2**20

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@dataclass
class External:
    """A server the bench does not start: its URL and the command that restarts it fresh."""

    name: str
    url: str
    restart: str | None = None

    def prepare(self, log: Path, run_id: str, products: int) -> list[int]:
        """Restarts the server if it can, waits for it, seeds a pool through the API, warms it."""
        if self.restart:
            with log.open("a") as out:
                # Its own process group, so the terminal's Ctrl-C leaves the server it starts
                # running; but the bench's session, so it shares the scheduler's autogroup with
                # the servers the bench starts (see describe()).
                subprocess.run(
                    self.restart,
                    shell=True,
                    cwd=ROOT,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=out,
                    process_group=0,
                    timeout=120,
                    check=True,
                )
        _wait_healthy(self.url, timeout=60)
        session = requests.Session()
        ids = []
        for n in range(1, products + 1):
            body = {"sku": f"POOL-{run_id}-{n:05d}", "name": f"Pool product {n}"}
            body |= {"price": "19.99", "stock": POOL_STOCK}
            response = session.post(f"{self.url}/products/", json=body, timeout=30)
            response.raise_for_status()
            ids.append(response.json()["id"])
        _warm(self.url, ids)
        return ids

    def check(self, product_ids: list[int], attempts: int = 2) -> int | None:
        """Pool products whose stock + ordered units differ from the seed; None if unreadable.

        A server that stalled under the load may still be working off (or timing out) what it
        queued, so the check is tried again before it is given up (the reference
        implementation, once deadlocked, answers nothing until it is restarted).
        """
        for attempt in range(1, attempts + 1):
            try:
                problems = stock_discrepancies(
                    requests.Session(), self.url, dict.fromkeys(product_ids, POOL_STOCK)
                )
            except requests.RequestException as exc:
                print(f"{self.name}: oversell check {attempt}/{attempts}: {exc}", file=sys.stderr)
            else:
                return len(problems)
        return None

    def process(self) -> psutil.Process | None:
        """The process listening on the URL's port, when this user may see it."""
        port = int(self.url.rsplit(":", 1)[1].split("/")[0])
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
                return psutil.Process(conn.pid)
        return None

    def processes(self) -> list[psutil.Process]:
        process = self.process()
        return [process, *process.children(recursive=True)] if process else []

    def worker_rss_mb(self) -> float | None:
        process = self.process()
        if process is None:
            return None
        workers = process.children(recursive=True) or [process]
        return max(w.memory_info().rss for w in workers) / 2**20

    def describe(self) -> str:
        process = self.process()
        cpus = f"CPUs {process.cpu_affinity()}" if process else "process not visible"
        if process and _autogroup(process.pid) != _autogroup(os.getpid()):
            # With autogroup scheduling, a core is shared between sessions, not processes: a
            # server started from another terminal gets another share of CPU 0 than ours.
            cpus += ", WARNING: another scheduler autogroup than the bench's servers"
        fresh = (
            "restarted on a fresh database before each run"
            if self.restart
            else "not restarted: its data carries over between runs"
        )
        return f"{self.name} = external server at {self.url} ({cpus}; {fresh})"


def _autogroup(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/autogroup").read_text().split()[0]
    except OSError:
        return None


def _wait_healthy(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server at {url} exited")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def _warm(url: str, product_ids: list[int]) -> None:
    # Warm every worker's imports and URL resolver; reads only, so the data stays as seeded.
    for n in range(40):
        path = "/products/?limit=20" if n % 2 else f"/products/{product_ids[0]}"
        with urllib.request.urlopen(f"{url}{path}", timeout=10) as response:
            response.read()


def _cpu_seconds(processes: list[psutil.Process]) -> float | None:
    try:
        return sum(sum(p.cpu_times()[:2]) for p in processes)
    except psutil.Error:
        return None


def run_load(
    scenario: Scenario,
    url: str,
    product_ids: list[int],
    workdir: Path,
    processes: list[psutil.Process],
) -> Result:
    """One Locust run; `processes` are the server's, whose CPU time per request is reported."""
    samples_file, spawned_file = workdir / "samples.csv", workdir / "spawned.txt"
    for path in (samples_file, spawned_file):
        path.unlink(missing_ok=True)
    env = {
        **os.environ,
        "BENCH_PRODUCT_IDS": ",".join(map(str, product_ids)),
        "BENCH_THINK": "1" if scenario.think else "0",
        "BENCH_SAMPLES": str(samples_file),
        "BENCH_SPAWNED": str(spawned_file),
    }
    run_time = scenario.ramp + scenario.duration + 2
    cmd = [
        "taskset",
        "-c",
        LOADGEN_CPU,
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--host",
        url,
        "-u",
        str(scenario.users),
        "-r",
        str(scenario.spawn_rate),
        "-t",
        f"{run_time}s",
    ]
    load = os.getloadavg()[0]
    cpu_before = _cpu_seconds(processes)
    with (workdir / "locust.log").open("a") as log:
        # Locust exits 1 when any request failed; the samples say how many.
        subprocess.run(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=log, timeout=run_time + 120, check=False
        )
    cpu_after = _cpu_seconds(processes)
    start = float(spawned_file.read_text())
    end = start + scenario.duration
    times, errors = [], 0
    samples = samples_file.read_text().splitlines()
    cpu_ms = None
    if cpu_before is not None and cpu_after is not None and samples:
        # Over the whole run (ramp-up too), as the CPU time is.
        cpu_ms = 1000 * (cpu_after - cpu_before) / len(samples)
    for line in samples:
        finished, ms, ok = line.split(",")
        if start <= float(finished) < end:
            times.append(float(ms))
            errors += ok == "0"
    times.sort()
    return Result(
        rps=len(times) / scenario.duration,
        p50=_percentile(times, 50),
        p95=_percentile(times, 95),
        p99=_percentile(times, 99),
        error_pct=100 * errors / len(times) if times else 100.0,
        requests=len(times),
        load=load,
        cpu_ms=cpu_ms,
    )


def _percentile(ordered: list[float], pct: float) -> float | None:
    if not ordered:
        return None
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _fmt(value, spec=".1f", suffix=""):
    return "–" if value is None else f"{value:{spec}}{suffix}"


def _ratios(base: list[Result], target: list[Result]) -> float | None:
    """The median of the per-round ratios (each round's runs are minutes apart, not hours)."""
    return _median([t.rps / b.rps for b, t in zip(base, target, strict=True) if b.rps])


def _ratio(base: list[Result], target: list[Result]) -> str:
    ratio = _ratios(base, target)
    return _fmt(ratio and 100 * ratio, ".0f", "%")


def _times(base: list[Result], target: list[Result]) -> str:
    return _fmt(_ratios(base, target), ".2f", "×")


def report(
    results: dict,
    args,
    gunicorn: dict,
    started: datetime.datetime,
    loads: list[float],
    externals: dict[str, str],
) -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in subprocess.run(
                ["lscpu"], capture_output=True, text=True, check=False
            ).stdout.splitlines()
            if line.startswith("Model name")
        ),
        platform.processor(),
    )
    floors = [target for target in FLOORS if target in args.targets]
    lines = [
        f"Run {started:%Y-%m-%d %H:%M} UTC on {cpu}, {os.cpu_count()} cores; database "
        f"{'SQLite' if args.db == 'sqlite' else 'PostgreSQL'}; "
        f"gunicorn {gunicorn['worker_class']}, "
        f"{gunicorn['workers']} worker(s) x {gunicorn['threads']} threads on CPU {SERVER_CPU}, "
        f"Locust FastHttpUser on CPU {LOADGEN_CPU}; median of {args.rounds} round(s), "
        f"targets in turn ({' → '.join(args.targets)}); "
        f"load average {min(loads):.2f}–{max(loads):.2f} at run starts.",
        *(f"{description}." for description in externals.values()),
        f"Command: `{args.command_line}`",
        "",
        "| scenario | users | ceiling RPS | "
        + "".join(f"{floor} floor RPS (/ ceiling) | " for floor in floors)
        + "".join(f"{name} RPS | " for name in externals)
        + "service RPS | service / ceiling | "
        + "".join(f"service / {name} | " for name in externals)
        + "p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|" + "---:|" * (len(floors) + 2 * len(externals)) + "---:|---:|---:|---:|"
        "---:|---:|",
    ]
    for name, by_target in results.items():
        ceiling, service = by_target["ceiling"], by_target["service"]
        floor_cells = "".join(
            f"| {_fmt(_median(r.rps for r in by_target[floor]), '.0f')} "
            f"({_ratio(ceiling, by_target[floor])}) "
            for floor in floors
        )
        external_cells = "".join(
            f"| {_fmt(_median(r.rps for r in by_target[external]), '.0f')} "
            for external in externals
        )
        times_cells = "".join(f"| {_times(by_target[ext], service)} " for ext in externals)
        lines.append(
            f"| {name} | {SCENARIOS[name].users} "
            f"| {_fmt(_median(r.rps for r in ceiling), '.0f')} "
            + floor_cells
            + external_cells
            + f"| {_fmt(_median(r.rps for r in service), '.0f')} "
            f"| {_ratio(ceiling, service)} "
            + times_cells
            + f"| {_fmt(_median(r.p50 for r in service))} "
            f"| {_fmt(_median(r.p95 for r in service))} "
            f"| {_fmt(_median(r.p99 for r in service))} "
            f"| {_fmt(_median(r.error_pct for r in service), '.2f', '%')} |"
        )
    checked = ["service", *externals]
    lines += [
        "",
        "Every target (medians; CPU = the server processes' CPU time per request over the run):",
        "",
        "| scenario | target | RPS | p50 ms | p95 ms | p99 ms | errors | CPU ms/req | oversold |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, by_target in results.items():
        for target in args.targets:
            runs = by_target[target]
            unchecked = sum(r.oversold is None for r in runs)
            oversold = (
                f"{sum(r.oversold or 0 for r in runs)}"
                + (f" ({unchecked} unchecked)" if unchecked else "")
                if target in checked
                else "–"
            )
            lines.append(
                f"| {name} | {target} | {_fmt(_median(r.rps for r in runs), '.0f')} "
                f"| {_fmt(_median(r.p50 for r in runs))} "
                f"| {_fmt(_median(r.p95 for r in runs))} "
                f"| {_fmt(_median(r.p99 for r in runs))} "
                f"| {_fmt(_median(r.error_pct for r in runs), '.2f', '%')} "
                f"| {_fmt(_median(r.cpu_ms for r in runs), '.2f')} | {oversold} |"
            )
    lines.append("")
    for target in checked:
        runs = [r for t in results.values() for r in t[target]]
        rss = [r.worker_rss_mb for r in runs if r.worker_rss_mb is not None]
        ledger = (
            f" and {sum(r.ledger_mismatch or 0 for r in runs)} ledger mismatches"
            if target == "service"
            else " (through its API)"
        )
        lines.append(
            f"Oversell check, {target}: {sum(r.oversold or 0 for r in runs)} oversold{ledger} "
            f"in {sum(r.oversold is not None for r in runs)} checked of {len(runs)} runs."
            + (f" Largest worker RSS after `heavy`: {max(rss):.0f} MB." if rss else "")
        )
    lines += [
        "",
        "<details><summary>Every run</summary>",
        "",
        "| round | scenario | target | RPS | p50 | p95 | p99 | errors | requests | CPU ms/req "
        "| load avg |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, by_target in results.items():
        for target in args.targets:
            for n, r in enumerate(by_target[target], 1):
                lines.append(
                    f"| {n} | {name} | {target} | {r.rps:.0f} | {_fmt(r.p50)} | {_fmt(r.p95)} "
                    f"| {_fmt(r.p99)} | {r.error_pct:.2f}% | {r.requests} "
                    f"| {_fmt(r.cpu_ms, '.2f')} | {r.load:.2f} |"
                )
    lines += ["", "</details>"]
    return "\n".join(lines)


def _named(values: list[str], flag: str, parser) -> dict[str, str]:
    named = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            parser.error(f"{flag} wants NAME=VALUE, not {value!r}")
        named[name] = rest
    return named


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/webstore_bench"),
    )
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument(
        "--targets",
        default="ceiling,service",
        help=f"servers run in turn each round: ceiling and service, and any of {list(FLOORS)}",
    )
    parser.add_argument(
        "--external",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="an already running server to measure in the same rotation (repeatable)",
    )
    parser.add_argument(
        "--external-restart",
        action="append",
        default=[],
        metavar="NAME=COMMAND",
        help="shell command run before each run of that external server; it must leave the "
        "server answering at its URL on a fresh database",
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--duration", type=int, default=0, help="seconds per run (0: each scenario's own)"
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8140")))
    parser.add_argument("--products", type=int, default=100, help="seeded pool size")
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    args = parser.parse_args()
    args.command_line = os.environ.get("BENCH_COMMAND") or " ".join(["python", *sys.argv])
    names = args.scenarios.split(",")
    unknown = set(names) - SCENARIOS.keys()
    if unknown:
        parser.error(f"unknown scenarios: {sorted(unknown)}")
    wanted = set(args.targets.split(","))
    if wanted - TARGETS.keys() or not {"ceiling", "service"} <= wanted:
        parser.error(f"--targets: ceiling and service, and any of {list(FLOORS)}")
    urls = _named(args.external, "--external", parser)
    restarts = _named(args.external_restart, "--external-restart", parser)
    if urls.keys() & TARGETS.keys() or restarts.keys() - urls.keys():
        parser.error("--external names must differ from the targets; restarts need an --external")
    externals = {
        name: External(name, url.rstrip("/"), restarts.get(name)) for name, url in urls.items()
    }
    # In rotation order: the ceiling, the floors, the external servers, the service.
    args.targets = [t for t in TARGETS if t in wanted and t != "service"]
    args.targets += [*externals, "service"]
    if args.duration:
        for name in names:
            SCENARIOS[name] = Scenario(**{**SCENARIOS[name].__dict__, "duration": args.duration})
    gunicorn = _gunicorn_settings()

    started = datetime.datetime.now(datetime.UTC)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    database = Database(args.db, workdir, args.pg_url, args.products)
    database.prepare()
    results = {name: {target: [] for target in args.targets} for name in names}
    checked = {"service", *externals}
    loads = []
    try:
        for round_no in range(1, args.rounds + 1):
            for name in names:
                scenario = SCENARIOS[name]
                for target in args.targets:
                    if target in externals:
                        result = _measure_external(
                            externals[target], scenario, name, workdir, args.products
                        )
                    else:
                        result = _measure(target, scenario, name, database, workdir, args.port)
                    loads.append(result.load)
                    results[name][target].append(result)
                    print(
                        f"round {round_no} {name:6} {target:9} {result.rps:7.0f} rps"
                        f"  p50 {_fmt(result.p50)}  p95 {_fmt(result.p95)}"
                        f"  p99 {_fmt(result.p99)} ms"
                        f"  errors {result.error_pct:.2f}%"
                        f"  cpu {_fmt(result.cpu_ms, '.2f')} ms/req"
                        f"  load {result.load:.2f}"
                        + (f"  oversold {result.oversold}" if target in checked else ""),
                        file=sys.stderr,
                        flush=True,
                    )
    finally:
        database.drop()
    descriptions = {name: external.describe() for name, external in externals.items()}
    table = report(results, args, gunicorn, started, loads, descriptions)
    args.out.mkdir(exist_ok=True)
    out_file = args.out / f"bench-{args.db}-{started:%Y%m%dT%H%M}.md"
    out_file.write_text(table + "\n")
    print(table)
    print(f"\n(written to {out_file}; logs in {workdir})", file=sys.stderr)
    service_runs = [r for t in results.values() for r in t["service"]]
    if any(r.oversold or r.ledger_mismatch for r in service_runs):
        sys.exit("OVERSELL CHECK FAILED")


def _measure(
    target: str, scenario: Scenario, name: str, database: Database, workdir: Path, port: int
) -> Result:
    """One run of a server the bench starts: fresh database, gunicorn, load, oversell check."""
    database.reset()
    server = Server(target, port, database.url, workdir / f"gunicorn-{target}.log")
    try:
        server.wait_ready(database.product_ids)
        result = run_load(scenario, server.url, database.product_ids, workdir, server.processes())
        if target == "service" and name == "heavy":
            result.worker_rss_mb = server.worker_rss_mb()
    finally:
        server.stop()
    if target == "service":
        check = database.check()
        result.oversold, result.ledger_mismatch = check["oversold"], check["ledger_mismatch"]
    return result


def _measure_external(
    external: External, scenario: Scenario, name: str, workdir: Path, products: int
) -> Result:
    """One run of an external server: (restart), seed through its API, load, check by API."""
    run_id = f"{time.time_ns():x}"
    product_ids = external.prepare(workdir / f"external-{external.name}.log", run_id, products)
    result = run_load(scenario, external.url, product_ids, workdir, external.processes())
    if name == "heavy":
        result.worker_rss_mb = external.worker_rss_mb()
    result.oversold = external.check(product_ids)
    return result


if __name__ == "__main__":
    main()
