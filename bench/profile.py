"""Where a request's CPU time goes: the benchmark's four requests, in process, one thread.

    python -m bench.profile                      # microseconds per request, each request type
    python -m bench.profile --cprofile detail    # plus the cProfile top of one request type
    taskset -c 0 python -m bench.profile         # steadier: one core, as the benchmark's server
    python -m bench.profile --database-url postgres://postgres@127.0.0.1:5432/empty_db
    python -m bench.profile --floor drf          # the same requests on a floor (bench/floor)

Calls the WSGI application directly (no gunicorn, no sockets) on a fresh, seeded SQLite file
(or the empty database given), with the benchmark's server environment (production mode, no
access log, no API keys or rate limits). What remains is the time Django, DRF and the app
spend per request: the part that bounds a pinned core's throughput.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.run import FLOORS, SERVER_ENV, TARGETS

REQUESTS = ("list", "detail", "product_create", "order_create")


def _environ(method: str, path: str, query: str = "", body: bytes = b"") -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_TYPE": "application/json" if body else "",
        "CONTENT_LENGTH": str(len(body)) if body else "",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def _request_factory(kind: str, product_ids: list[int]):
    pid = product_ids[0]
    if kind == "list":
        return lambda: _environ("GET", "/products", "limit=20")
    if kind == "detail":
        return lambda: _environ("GET", f"/products/{pid}")
    if kind == "product_create":
        return lambda: _environ(
            "POST",
            "/products",
            body=json.dumps(
                {
                    "sku": f"B-{uuid.uuid4().hex}",
                    "name": "Bench product",
                    "price": "9.99",
                    "stock": 5,
                }
            ).encode(),
        )
    if kind == "order_create":
        return lambda: _environ(
            "POST", "/orders", body=json.dumps({"product_id": pid, "quantity": 1}).encode()
        )
    raise ValueError(kind)


def _call(app, environ: dict) -> int:
    status = []
    body = b"".join(app(environ, lambda s, h, exc_info=None: status.append(s)))
    code = int(status[0].split()[0])
    if code >= 400:
        request = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}"
        raise RuntimeError(f"{request}: {status[0]} {body!r}")
    return code


def _timed(app, make, count: int) -> float:
    # CPU time, not wall time: what bounds a pinned core's throughput. (Waits such as a WAL
    # checkpoint's fsync leave the core to other requests.)
    started = time.process_time()
    for _ in range(count):
        _call(app, make())
    return (time.process_time() - started) / count


def _calls(app, make, count: int = 50) -> float:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        _call(app, make())
    profiler.disable()
    return pstats.Stats(profiler).total_calls / count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--count", type=int, default=200, help="requests per type and repeat")
    parser.add_argument("--repeat", type=int, default=10, help="repeats; the fastest is reported")
    parser.add_argument(
        "--database-url",
        help="an empty database to use instead of a fresh SQLite file (e.g. PostgreSQL)",
    )
    parser.add_argument("--cprofile", choices=REQUESTS, help="print cProfile's top of one type")
    parser.add_argument(
        "--floor", choices=FLOORS, help="serve a floor (bench/floor), not the service"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="webstore-profile-"))
    os.environ.update(SERVER_ENV)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "webstore.settings"
    if args.floor:
        os.environ.update(TARGETS[args.floor][1])
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(workdir))

    from bench.pool import _setup_django, pool_seed

    _setup_django()
    product_ids = pool_seed(products=100, stock=1_000_000)

    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    makers = {kind: _request_factory(kind, product_ids) for kind in REQUESTS}
    for make in makers.values():
        for _ in range(200):  # warm up: imports, URL resolver, connection
            _call(app, make())
    # Request types take turns, and each reports its fastest repeat: the cost itself, where
    # slower repeats also measured whatever else the (shared) machine was doing meanwhile.
    best = dict.fromkeys(REQUESTS, float("inf"))
    for _ in range(args.repeat):
        for kind, make in makers.items():
            best[kind] = min(best[kind], _timed(app, make, args.count))
    # Python function calls per request: a deterministic figure, where timings on a shared
    # machine vary by 10-20% between runs.
    for kind, seconds in best.items():
        calls = _calls(app, makers[kind])
        print(f"{kind:15} {seconds * 1e6:8.0f} µs CPU/request {calls:8.0f} calls/request")

    if args.cprofile:
        make = _request_factory(args.cprofile, product_ids)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.count):
            _call(app, make())
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
