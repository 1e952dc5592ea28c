"""Replay protection lives in the database: a freshly started server refuses a used event id."""

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from orders.models import Order
from payments.models import Payment
from payments.signatures import webhook_signature
from payments.tests.conftest import SECRET, URL, paid_event

pytestmark = pytest.mark.django_db(transaction=True)

STARTUP_TIMEOUT_SECONDS = 60


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a Unix socket, so the test server needs no TCP port."""

    def __init__(self, path: str):
        super().__init__("localhost", timeout=30)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def request(socket_path: str, method: str, path: str, body: bytes = b"", headers=None):
    conn = UnixHTTPConnection(socket_path)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def database_url_of_this_run() -> str:
    """DATABASE_URL naming the test database this test process uses."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def gunicorn_server():
    """Starts a new gunicorn process on the test database; yields its socket path, then stops it."""
    folder = tempfile.mkdtemp(prefix="webhook-")
    socket_path = os.path.join(folder, "gunicorn.sock")
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "test-only-insecure-key",
        "WEBHOOK_SECRET": SECRET,
        "DATABASE_URL": database_url_of_this_run(),
        "BIND": f"unix:{socket_path}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "ACCESS_LOG": "false",
    }
    env.pop("PORT", None)
    server = subprocess.Popen(
        # No control socket: gunicorn's default path is shared by every server on the machine.
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--no-control-socket"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            assert server.poll() is None, server.stderr.read().decode()
            try:
                if request(socket_path, "GET", "/health")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        yield socket_path
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()
        Path(socket_path).unlink(missing_ok=True)
        os.rmdir(folder)


def test_a_new_process_refuses_an_event_id_recorded_earlier(
    post_webhook, pending_order, make_order
):
    # Recorded by this process (committed: the test runs outside a transaction).
    assert (
        post_webhook(paid_event(pending_order.pk), event_id="evt_before_restart").status_code == 200
    )
    second_order = make_order(pending_order.item_list[0].product, quantity=2)
    body = json.dumps(paid_event(second_order.pk)).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Webhook-Signature": webhook_signature(body=body, secret=SECRET),
        "X-Event-Id": "evt_before_restart",
    }

    with gunicorn_server() as socket_path:
        # A new server process, with nothing in memory, refuses the same id...
        status, answer = request(socket_path, "POST", URL, body, headers)
        assert status == 400
        assert json.loads(answer) == {
            "detail": {"error": "Event already processed", "event_id": "evt_before_restart"}
        }
        assert Order.objects.get(pk=second_order.pk).status == "PENDING"

        # ...and processes a new id normally, so the refusal is not a broken server.
        headers["X-Event-Id"] = "evt_after_restart"
        status, answer = request(socket_path, "POST", URL, body, headers)
        assert status == 200, answer

    assert Order.objects.get(pk=second_order.pk).status == "PAID"
    assert sorted(Payment.objects.values_list("event_id", flat=True)) == [
        "evt_after_restart",
        "evt_before_restart",
    ]
