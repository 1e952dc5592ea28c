"""`kill -9` gunicorn workers under a steady order load: a transaction is all or nothing.

A killed worker takes its in-flight requests with it; those clients see a connection error and
nothing else does. Every order that exists (answered 201 or not) has its ledger row, no ledger
row lacks its order, and the master replaces each killed worker.
"""

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from threading import Event

import pytest
import requests

from inventory.services import product_create
from orders.models import Order
from reliability.invariants import assert_stock_invariants

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 8
KILLS = 3
REQUESTS_BETWEEN_KILLS = 25
INITIAL_STOCK = 100_000
# What a client sees when the worker serving it dies: the connection refused or reset, or closed
# after the status line, before the whole body (ChunkedEncodingError: "IncompleteRead").
DROPPED_CONNECTION = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)
# Generous bound on waiting for load or a respawn; only a broken server ever reaches it.
WAIT_LIMIT_SECONDS = 60


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


def test_killed_workers_never_half_apply_an_order(gunicorn_server):
    product = product_create(sku="KILL-1", name="Steady", price="5.00", stock=INITIAL_STOCK)
    stop = Event()
    answered: list[tuple[str, int, dict | None]] = []
    connection_errors: list[str] = []

    def load(index: int) -> None:
        with requests.Session() as http:
            while not stop.is_set():
                try:
                    response = http.post(
                        f"{gunicorn_server.url}/orders",
                        json={"product_id": product.pk, "quantity": 1 + index % 3},
                        timeout=WAIT_LIMIT_SECONDS,
                    )
                    answered.append(("place", response.status_code, response.json()))
                    if response.status_code == 201 and len(answered) % 4 == 0:
                        order_id = response.json()["id"]
                        cancel = http.delete(
                            f"{gunicorn_server.url}/orders/{order_id}", timeout=WAIT_LIMIT_SECONDS
                        )
                        answered.append(("cancel", cancel.status_code, None))
                except DROPPED_CONNECTION as exc:
                    connection_errors.append(type(exc).__name__)

    killed: list[int] = []
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        clients = [pool.submit(load, index) for index in range(CLIENTS)]
        try:
            for _ in range(KILLS):
                progress = len(answered)
                wait_for(
                    lambda progress=progress: len(answered) >= progress + REQUESTS_BETWEEN_KILLS,
                    "order load",
                )
                victim = min(gunicorn_server.worker_pids())
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
                wait_for(
                    lambda: (
                        len(gunicorn_server.worker_pids() - set(killed)) == gunicorn_server.workers
                    ),
                    "the master to respawn the worker",
                )
            progress = len(answered)
            wait_for(
                lambda: len(answered) >= progress + REQUESTS_BETWEEN_KILLS, "load after respawn"
            )
        finally:
            stop.set()
        for client in clients:
            client.result()  # any other exception than a connection error fails the test

    # The master replaced every killed worker and is still serving.
    workers = gunicorn_server.worker_pids()
    assert len(workers) == gunicorn_server.workers and not workers & set(killed)
    assert requests.get(f"{gunicorn_server.url}/health", timeout=10).status_code == 200
    # Clients saw answers from the contract or a dropped connection, never a 5xx.
    assert {(kind, status) for kind, status, _ in answered} <= {("place", 201), ("cancel", 204)}
    assert len(connection_errors) <= KILLS * CLIENTS
    # All or nothing: every order that exists (even one whose answer was lost) has its ledger
    # row, and every ledger row has its order.
    created = {body["id"] for kind, status, body in answered if status == 201}
    stored = set(Order.objects.filter(items__product=product).values_list("pk", flat=True))
    assert created <= stored
    assert len(stored - created) <= len(connection_errors)
    assert_stock_invariants(product, initial_stock=INITIAL_STOCK)
