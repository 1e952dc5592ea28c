"""The HTTP client the black-box scripts share: configuration, signing, and readable checks.

`tests/test_smoke.py` and `tests/test_webhook.py` run two ways: as scripts against any
deployment (`BASE_URL=https://... python tests/test_smoke.py`), and collected by pytest against
a live server. Both ways build an `Api` and call the same check functions; only where the
configuration comes from differs (the environment and `.env` here, fixtures under pytest).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import requests

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_BASE_URL = "http://localhost:8000"
# The secret `make run` uses with DEBUG on (webstore/settings.py DEV_WEBHOOK_SECRET).
DEV_WEBHOOK_SECRET = "default-secret-change-in-production"


class CheckFailed(AssertionError):
    """A response differed from the contract; the message says what was expected and seen."""


def dotenv_values(path: Path = PROJECT_DIR / ".env") -> dict[str, str]:
    """KEY=VALUE pairs of a `.env` file (comments and blank lines skipped); {} if it is absent."""
    values = {}
    if path.is_file():
        for line in path.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, _, value = line.partition("=")
                values[key.strip()] = value.split(" #")[0].strip().strip("'\"")
    return values


def setting(name: str, default: str = "") -> str:
    """A setting from the environment, else `.env`, else the default (env wins, as in Django)."""
    return os.environ.get(name) or dotenv_values().get(name) or default


def unique_sku(prefix: str) -> str:
    """A SKU no earlier run used, so the scripts can run again and again on one deployment."""
    return f"{prefix}-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}".upper()


def webhook_signature(raw_body: bytes, secret: str) -> str:
    """Hex HMAC-SHA256 of the raw body: the `X-Webhook-Signature` the service verifies."""
    return hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


@dataclass
class Api:
    """A requests session bound to one deployment, with the optional API key on every call."""

    base_url: str
    webhook_secret: str = DEV_WEBHOOK_SECRET
    api_key: str = ""
    session: requests.Session = field(default_factory=requests.Session)

    @classmethod
    def from_environment(cls) -> Api:
        # Rotation lists several comma-separated secrets; the newest (first) one signs.
        secret = setting("WEBHOOK_SECRET", DEV_WEBHOOK_SECRET).split(",")[0].strip()
        return cls(
            base_url=setting("BASE_URL", DEFAULT_BASE_URL),
            webhook_secret=secret,
            api_key=setting("API_KEY"),
        )

    def __post_init__(self):
        self.base_url = self.base_url.rstrip("/")
        if self.api_key:
            self.session.headers["Authorization"] = f"Bearer {self.api_key}"

    def call(self, method: str, path: str, expected: int, **kwargs) -> requests.Response:
        """Sends one request and fails readably unless the status is `expected`."""
        response = self.session.request(method, self.base_url + path, timeout=30, **kwargs)
        if response.status_code != expected:
            raise CheckFailed(
                f"{method} {path}: expected HTTP {expected}, got {response.status_code}: "
                f"{response.text[:500]}"
            )
        return response

    def json(self, method: str, path: str, expected: int, **kwargs):
        """`call`, then the decoded JSON body."""
        response = self.call(method, path, expected, **kwargs)
        try:
            return response.json()
        except ValueError:
            raise CheckFailed(f"{method} {path}: body is not JSON: {response.text[:500]}") from None

    def create_product(self, *, prefix: str, price: str = "19.99", stock: int = 10) -> dict:
        body = {
            "sku": unique_sku(prefix),
            "name": f"{prefix} test product",
            "price": float(price),
            "stock": stock,
        }
        return self.json("POST", "/products/", 201, json=body)

    def create_order(self, product_id: int, quantity: int) -> dict:
        return self.json(
            "POST", "/orders/", 201, json={"product_id": product_id, "quantity": quantity}
        )

    def post_webhook(
        self,
        payload: dict,
        expected: int,
        *,
        event_id: str | None = None,
        secret: str | None = None,
    ) -> dict:
        """Posts a signed payment webhook (exactly the bytes that were signed)."""
        raw = json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Webhook-Signature": webhook_signature(raw, secret or self.webhook_secret),
        }
        if event_id is not None:
            headers["X-Event-Id"] = event_id
        return self.json("POST", "/webhooks/payment", expected, data=raw, headers=headers)


def expect(what: str, actual, wanted) -> None:
    """Fails with both values unless they are equal."""
    if actual != wanted:
        raise CheckFailed(f"{what}: expected {wanted!r}, got {actual!r}")


def money(value) -> Decimal:
    """A JSON number as the exact decimal it spells (19.99, never 19.989999...)."""
    return Decimal(str(value))


def run_checks(checks: list[Callable[[Api], None]]) -> int:
    """Runs each check in order against the configured deployment; stops at the first failure.

    Returns the process exit code: 0 when every check passed, 1 otherwise.
    """
    api = Api.from_environment()
    print(f"Target: {api.base_url}" + (" (with API key)" if api.api_key else ""))
    for check in checks:
        name = check.__name__.removeprefix("test_").replace("_", " ")
        try:
            check(api)
        except CheckFailed as failure:
            print(f"FAIL  {name}: {failure}", file=sys.stderr)
            return 1
        except requests.RequestException as error:
            print(f"FAIL  {name}: cannot reach {api.base_url}: {error}", file=sys.stderr)
            return 1
        print(f"PASS  {name}")
    print(f"All {len(checks)} checks passed.")
    return 0
