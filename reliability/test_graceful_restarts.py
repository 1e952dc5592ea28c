"""Restarts under load drop nothing: gunicorn `HUP`, and a deploy (a new server, then `TERM`).

Client threads send a steady mix of reads and writes while the server restarts. Every request
gets an answer, none a 5xx, none a connection error.

- `HUP` (a code or configuration reload): gunicorn starts new workers and stops the old ones
  gracefully; they share the master's listening socket, so connections wait in its backlog
  while the new workers boot.
- A deploy on the same host and port: `USR2` starts a new master (the new code) that inherits
  the listening socket, then the old master gets `TERM`: its workers stop accepting and finish
  what they are serving, within gunicorn's graceful timeout. A request whose body is still
  arriving when `TERM` comes is answered by the old worker. (A second server binding the port
  with SO_REUSEPORT was tried too: connections the kernel had queued on the old server's socket
  are reset when it closes, so that way drops requests.)
"""

import os
import signal
import socket
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from inventory.services import product_create
from reliability.invariants import assert_stock_invariants
from reliability.servers import Gunicorn, database_url

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 6
INITIAL_STOCK = 100_000
# Requests the load answers between steps: bounded, whatever the machine's speed.
REQUESTS_BETWEEN_STEPS = 150
CLIENT_TIMEOUT_SECONDS = 30
WAIT_LIMIT_SECONDS = 60
GRACEFUL_TIMEOUT_SECONDS = 20  # gunicorn.conf.py


def children(pid: int) -> set[int]:
    try:
        return {
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        }
    except FileNotFoundError:
        return set()


def exited(pid: int) -> bool:
    """Gone, or a zombie: the new master's parent is no longer this test once the old one left."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


class Load:
    """CLIENTS threads on keep-alive sessions: list, read, order, cancel every other order."""

    def __init__(self, url: str, product_id: int):
        self.url = url
        self.product_id = product_id
        self.outcomes: list[int | str] = []
        self._stop = threading.Event()

    def run(self, pool: ThreadPoolExecutor):
        return [pool.submit(self._client) for _ in range(CLIENTS)]

    def stop(self) -> None:
        self._stop.set()

    def progressed(self, count: int):
        start = len(self.outcomes)
        return lambda: len(self.outcomes) >= start + count

    def _client(self) -> None:
        with requests.Session() as http:
            step = 0
            while not self._stop.is_set():
                step += 1
                if step % 3 == 0:
                    response = self._send(
                        http, "POST", "/orders", {"product_id": self.product_id, "quantity": 1}
                    )
                    if response is not None and response.status_code == 201 and step % 2:
                        self._send(http, "DELETE", f"/orders/{response.json()['id']}")
                elif step % 3 == 1:
                    self._send(http, "GET", "/products?limit=5")
                else:
                    self._send(http, "GET", f"/products/{self.product_id}")
                time.sleep(0.01)

    def _send(self, http, method, path, body=None):
        try:
            response = http.request(
                method, f"{self.url}{path}", json=body, timeout=CLIENT_TIMEOUT_SECONDS
            )
        except requests.RequestException as exc:
            self.outcomes.append(f"{type(exc).__name__}: {exc}")
            return None
        self.outcomes.append(response.status_code)
        return response

    def report(self, scenario: str) -> Counter:
        counts = Counter(self.outcomes)
        statuses = sum(n for outcome, n in counts.items() if isinstance(outcome, int))
        print(
            f"\n{scenario}: sent {len(self.outcomes)}, answered {statuses}, 5xx "
            f"{sum(n for o, n in counts.items() if isinstance(o, int) and o >= 500)}, resets "
            f"{len(self.outcomes) - statuses}; {dict(counts)}"
        )
        return counts


@pytest.fixture
def product():
    return product_create(sku="RESTART-1", name="Restart", price="3.00", stock=INITIAL_STOCK)


def test_hup_reloads_the_workers_and_drops_nothing(product):
    server = Gunicorn(database_url=database_url())
    load = Load(server.url, product.pk)
    try:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            clients = load.run(pool)
            try:
                wait_for(load.progressed(REQUESTS_BETWEEN_STEPS), "load")
                for _ in range(2):
                    old_workers = server.worker_pids()
                    server.process.send_signal(signal.SIGHUP)
                    wait_for(
                        lambda old=old_workers: (
                            len(server.worker_pids() - old) == server.workers
                            and not server.worker_pids() & old
                        ),
                        "new workers to replace the old ones",
                    )
                    wait_for(load.progressed(REQUESTS_BETWEEN_STEPS), "load on the new workers")
            finally:
                load.stop()
            for client in clients:
                client.result()
    finally:
        server.stop()
    counts = load.report("HUP x2")
    assert set(counts) <= {200, 201, 204}, counts
    assert_stock_invariants(product, initial_stock=INITIAL_STOCK)


class SlowOrder:
    """A POST /orders whose body arrives a byte at a time until `finish()`: in flight meanwhile."""

    PADDING = 400  # JSON allows trailing whitespace; enough for 80 s at one byte per 0.2 s

    def __init__(self, port: int, product_id: int):
        body = f'{{"product_id": {product_id}, "quantity": 1}}'.encode()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=CLIENT_TIMEOUT_SECONDS)
        self.sock.sendall(
            b"POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body) + self.PADDING}\r\n\r\n".encode()
            + body
        )
        self._remaining = self.PADDING
        self._done = threading.Event()
        self._trickle = threading.Thread(target=self._send_padding)
        self._trickle.start()

    def _send_padding(self) -> None:
        while not self._done.wait(0.2) and self._remaining > 1:
            self.sock.sendall(b" ")
            self._remaining -= 1

    def finish(self) -> bytes:
        """Sends the rest of the body; returns the status line."""
        self._done.set()
        self._trickle.join()
        self.sock.sendall(b" " * self._remaining)
        answer = b""
        while b"\r\n" not in answer:
            chunk = self.sock.recv(4096)
            assert chunk, f"connection closed before an answer: {answer!r}"
            answer += chunk
        self.sock.close()
        return answer.split(b"\r\n", 1)[0]


def test_a_deploy_takes_over_the_socket_and_drops_nothing(product):
    server = Gunicorn(database_url=database_url())
    load = Load(server.url, product.pk)
    new_master = old_master_exit_seconds = None
    try:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            clients = load.run(pool)
            try:
                wait_for(load.progressed(REQUESTS_BETWEEN_STEPS), "load")
                old_workers = server.worker_pids()
                in_flight = SlowOrder(server.port, product.pk)  # only old workers exist now
                server.process.send_signal(signal.SIGUSR2)
                wait_for(lambda: len(children(server.process.pid) - old_workers) == 1, "USR2")
                [new_master] = children(server.process.pid) - old_workers
                wait_for(lambda: len(children(new_master)) == server.workers, "the new workers")
                wait_for(load.progressed(REQUESTS_BETWEEN_STEPS), "load on both servers")

                server.process.send_signal(signal.SIGTERM)
                term_sent = time.monotonic()
                time.sleep(1)
                assert in_flight.finish() == b"HTTP/1.1 201 Created"
                server.process.wait(timeout=GRACEFUL_TIMEOUT_SECONDS + 10)
                old_master_exit_seconds = time.monotonic() - term_sent
                wait_for(load.progressed(REQUESTS_BETWEEN_STEPS), "load on the new server")
            finally:
                load.stop()
            for client in clients:
                client.result()
    finally:
        if new_master is not None:
            os.kill(new_master, signal.SIGTERM)
            wait_for(lambda: exited(new_master), "the new master to stop")
        server.stop()
    counts = load.report(f"deploy (USR2, TERM; old master gone in {old_master_exit_seconds:.1f} s)")
    assert set(counts) <= {200, 201, 204}, counts
    # The old server finished its in-flight work and left within the graceful timeout.
    assert old_master_exit_seconds < GRACEFUL_TIMEOUT_SECONDS
    assert_stock_invariants(product, initial_stock=INITIAL_STOCK)
