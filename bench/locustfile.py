"""The original spec's mixed workload: 80% reads, 20% writes, against a seeded product pool.

Paths end in a slash where the original's Locust file has one (`/products/`, `/orders/`): the
service answers both forms alike, and a server that redirects the other form (the reference
implementation does, 307) is measured on its own paths, not on a redirect per request.

Run by `bench/run.py` (headless, one process pinned to its own core). Environment:
  BENCH_PRODUCT_IDS  comma-separated ids of the seeded products (large stock)
  BENCH_THINK        "1": think 0.1-0.5 s between requests (light/heavy); "0": closed loop (max)
  BENCH_SAMPLES      file to write every request as `end_time,response_ms,ok` lines, so the
                     runner computes RPS over its own measured window (Locust's RPS hides stalls)
  BENCH_SPAWNED      file to write the time all users were spawned (start of the window)
"""

import os
import random
import time
import uuid

from locust import FastHttpUser, between, constant, events, task

PRODUCT_IDS = [int(pk) for pk in os.environ.get("BENCH_PRODUCT_IDS", "1").split(",")]
THINK = os.environ.get("BENCH_THINK", "0") == "1"

_samples: list[tuple[float, float, bool]] = []


@events.request.add_listener
def _record(response_time, exception, start_time, **kwargs):
    _samples.append((start_time + response_time / 1000, response_time, exception is None))


@events.spawning_complete.add_listener
def _spawned(user_count, **kwargs):
    with open(os.environ["BENCH_SPAWNED"], "w") as out:
        out.write(repr(time.time()))


@events.quitting.add_listener
def _dump(environment, **kwargs):
    with open(os.environ["BENCH_SAMPLES"], "w") as out:
        out.writelines(f"{end!r},{ms:.3f},{int(ok)}\n" for end, ms, ok in _samples)


class Shopper(FastHttpUser):
    wait_time = between(0.1, 0.5) if THINK else constant(0)
    # A stalled server shows up as errors, not as a shorter list of slow successes.
    network_timeout = 10.0
    connection_timeout = 10.0

    @task(40)
    def product_list(self):
        self.client.get("/products/?limit=20", name="GET /products")

    @task(40)
    def product_detail(self):
        self.client.get(f"/products/{random.choice(PRODUCT_IDS)}", name="GET /products/{id}")

    @task(10)
    def product_create(self):
        body = {
            "sku": f"B-{uuid.uuid4().hex}",
            "name": "Bench product",
            "price": "9.99",
            "stock": 5,
        }
        self.client.post("/products/", json=body, name="POST /products")

    @task(10)
    def order_create(self):
        body = {"product_id": random.choice(PRODUCT_IDS), "quantity": 1}
        self.client.post("/orders/", json=body, name="POST /orders")
