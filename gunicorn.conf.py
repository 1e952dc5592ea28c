"""Gunicorn settings, the same locally, in benchmarks and on Render; knobs are env vars.

Threads (gthread) let one worker overlap requests waiting on the database; several workers use
several cores. WEB_CONCURRENCY and GUNICORN_THREADS tune both without a code change. Defaults:
one worker per core this process may run on (`taskset`, container CPU sets), two threads each. A
CPU quota (a container limited to 0.5 CPU, say) does not narrow that count, so such platforms
set WEB_CONCURRENCY (render.yaml does). The request work is CPU bound under the GIL, so on one
core a second worker only adds context switches and SQLite lock waits, and more threads only
lengthen the queue a request waits in (docs/performance.md, "Worker model").

Metrics: every worker writes its Prometheus samples to PROMETHEUS_MULTIPROC_DIR and `/metrics`
sums them. The folder is emptied when the server starts (stale files from an earlier run would
be counted again); without the variable, a fresh temporary folder is used and removed at exit.
"""

import os
import shutil
import tempfile
from pathlib import Path

_TEMP_METRICS_PREFIX = "webstore-metrics-"
# Before anything imports prometheus_client: it picks multiprocess mode at import time.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix=_TEMP_METRICS_PREFIX)

import json  # noqa: E402

from gunicorn import util  # noqa: E402
from gunicorn.glogging import Logger  # noqa: E402
from prometheus_client import multiprocess  # noqa: E402

from webstore.settings import LOGGING  # noqa: E402

wsgi_app = "webstore.wsgi:application"
bind = (
    f"0.0.0.0:{os.environ['PORT']}"
    if os.environ.get("PORT")
    else os.environ.get("BIND", "127.0.0.1:8000")
)
workers = int(os.environ.get("WEB_CONCURRENCY") or len(os.sched_getaffinity(0)))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# No control socket: unused here, and its default path is shared by every gunicorn on the host.
control_socket_disable = True
# The app writes the access log itself (one structured line per request with the request id;
# ACCESS_LOG=false turns it off), so gunicorn's own access log stays off.
accesslog = None


class AppLogsAccessLogger(Logger):
    """Gunicorn's logger without its access log.

    With `logconfig_dict` set, gunicorn assumes its access log may be wanted and formats every
    request's log fields before the (silenced) logger drops them; this logger skips that work.
    """

    def access(self, resp, req, environ, request_time):
        pass


logger_class = AppLogsAccessLogger


def error_write(sock, status_int, reason, mesg):
    """Gunicorn's own answer to a request it cannot parse, as the API's JSON `{"detail": ...}`.

    A malformed request line, an over-long URI (414) or oversized headers (431) are refused by
    gunicorn before Django sees them, and gunicorn writes an HTML page. Every other error the
    service gives is JSON with a `detail`, so clients get the same shape here. Gunicorn's
    workers call `util.write_error` at the point of failure and offer no setting for its body,
    so that one function is replaced, for every worker class.
    """
    body = json.dumps({"detail": f"{reason}: {mesg}" if mesg else reason}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


util.write_error = error_write
errorlog = "-"
# Gunicorn's own messages (boot, worker timeouts) use the app's format: JSON in production.
logconfig_dict = {
    **LOGGING,
    "loggers": {
        "gunicorn.error": {"level": "INFO", "propagate": True},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
    },
}


def on_starting(server):
    metrics_dir = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    metrics_dir.mkdir(parents=True, exist_ok=True)
    # Only the sample files: the variable may name a folder that holds other things too.
    for samples in metrics_dir.glob("*.db"):
        samples.unlink()


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    metrics_dir = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    if metrics_dir.parent == Path(tempfile.gettempdir()) and metrics_dir.name.startswith(
        _TEMP_METRICS_PREFIX
    ):
        shutil.rmtree(metrics_dir, ignore_errors=True)
