"""Real processes for the reliability group: gunicorn instances, a cuttable TCP proxy, and a
Redis server of the test's own that can be killed, shut down, hung and brought back.

Each gunicorn runs the production configuration (`gunicorn.conf.py`, DEBUG off, throwaway
secrets) against the test database pytest-django created, so the test reads the final state
through the ORM while the servers write it.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import redis
import requests
from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Ports this group may bind, as "first-last"; each server takes the first free one.
PORT_RANGE = os.environ.get("RELIABILITY_PORTS", "8150-8169")
PROXY_PORT_RANGE = os.environ.get("RELIABILITY_PROXY_PORTS", "55410-55419")
REDIS_PORT_RANGE = os.environ.get("RELIABILITY_REDIS_PORTS", "55420-55429")
STARTUP_SECONDS = 60


def free_port(port_range: str) -> int:
    """The first port of the range nobody listens on."""
    first, last = (int(part) for part in port_range.split("-"))
    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {port_range}")


def database_url(*, port: int | None = None) -> str:
    """A DATABASE_URL for the current (test) database; `port` reroutes PostgreSQL."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    return (
        f"postgres://{user}{password}@{host}:{port or settings['PORT'] or 5432}/{settings['NAME']}"
    )


class Gunicorn:
    """One gunicorn master with its workers, started the way production starts it."""

    def __init__(self, *, database_url: str, workers: int = 2, env: dict | None = None):
        self.port = free_port(PORT_RANGE)
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log_path = (
            Path(os.environ.get("TMPDIR", "/tmp")) / f"reliability-gunicorn-{self.port}.log"
        )
        environment = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "reliability-only-insecure-key",
            "WEBHOOK_SECRET": os.environ.get("WEBHOOK_SECRET", "test-webhook-secret"),
            "DATABASE_URL": database_url,
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "ACCESS_LOG": "false",
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        environment.pop("PORT", None)
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (open for the server's lifetime)
        self.process = subprocess.Popen(
            # The console script, as render.yaml starts it: a USR2 upgrade re-executes argv, and
            # `python -m gunicorn` re-executed runs gunicorn/__main__.py, whose folder then
            # shadows the standard library (gunicorn.http for http).
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
            cwd=PROJECT_DIR,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()

    def wait_ready(self) -> None:
        """Waits until every worker is up and /health answers."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_text()}")
            try:
                if (
                    len(self.worker_pids()) == self.workers
                    and requests.get(f"{self.url}/health", timeout=10).status_code == 200
                ):
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start: {self.log_text()}")

    def worker_pids(self) -> set[int]:
        """Live worker processes: the master's children."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return {int(pid) for pid in children.read_text().split()}
        except FileNotFoundError:
            return set()

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-5000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class TcpProxy:
    """Forwards a local port to PostgreSQL; `cut()` drops every connection and refuses new ones.

    Stands in for a database outage without stopping the machine's PostgreSQL, which other
    processes share.
    """

    def __init__(self, *, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.port = free_port(PROXY_PORT_RANGE)
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._hanging = False
        self.resume()

    def resume(self) -> None:
        """Listens again (or stops hanging): new connections reach the database."""
        self._hanging = False
        if self._listener is not None:
            return
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Closes the listener and every open connection: the database is gone."""
        listener, self._listener = self._listener, None
        listener.close()
        self._drop_connections()

    def hang(self) -> None:
        """Drops every open connection; new ones are accepted but never answered (a dead host)."""
        self._hanging = True
        self._drop_connections()

    def _drop_connections(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self._hanging:
                with self._lock:
                    self._sockets.add(client)
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self._sockets |= {client, upstream}
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class RedisServer:
    """A `redis-server` of the test's own on a free port, keeping nothing on disk.

    `kill()` (SIGKILL), `shutdown()` (a clean SHUTDOWN) and `hang()` (SIGSTOP: connections are
    accepted and never answered) take it away; `restore()` brings it back on the same port,
    empty after a kill or shutdown, with its data after a hang.
    """

    def __init__(self, *, workdir: Path):
        self.port = free_port(REDIS_PORT_RANGE)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process: subprocess.Popen | None = None
        self._stopped = False
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.workdir)),
                *("--save", "", "--appendonly", "no", "--loglevel", "warning"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def answers(self) -> bool:
        client = redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def shutdown(self) -> None:
        client = redis.Redis(port=self.port, socket_timeout=5)
        with contextlib.suppress(redis.ConnectionError):  # the server closes the connection
            client.shutdown(nosave=True)
        client.close()
        self.process.wait(timeout=30)

    def hang(self) -> None:
        self.process.send_signal(signal.SIGSTOP)
        self._stopped = True

    def restore(self) -> None:
        if self._stopped:
            self.process.send_signal(signal.SIGCONT)
            self._stopped = False
        else:
            self.start()

    def stop(self) -> None:
        if self._stopped:
            self.process.send_signal(signal.SIGCONT)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
