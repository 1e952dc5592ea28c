"""Hostile requests through a real gunicorn: always a 4xx, never a 5xx, and nothing written.

webstore/tests/test_bad_input.py covers the same rules through Django's test client; here the
bytes cross a socket, so gunicorn's own parsing (chunked bodies, header and line limits) and the
production settings are part of what is proven.
"""

import json
import socket

import pytest
import requests

from inventory.models import Product, StockMovement
from inventory.services import product_create
from orders.models import Order
from orders.services import OrderLine, order_place
from payments.models import Payment
from payments.signatures import webhook_signature
from reliability.schema import webhook_secret

pytestmark = pytest.mark.django_db(transaction=True)

JSON = {"Content-Type": "application/json"}
TEN_MB = 10 * 1024 * 1024
BIG_BODY = b'{"sku": "BIG", "name": "' + b"x" * TEN_MB + b'", "price": 1}'
HUGE = 2**64

# (name, method, path, body: bytes | dict | None, headers, expected status)
CASES = [
    ("10 MB body", "POST", "/products", BIG_BODY, JSON, 413),
    ("10 MB order body", "POST", "/orders", b'{"pad": "' + b"x" * TEN_MB + b'"}', JSON, 413),
    ("10 MB chunked body", "POST", "/products", "chunked", JSON, 411),
    ("deeply nested arrays", "POST", "/orders", b"[" * 100_000 + b"]" * 100_000, JSON, 400),
    (
        "deeply nested objects",
        "POST",
        "/products",
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        JSON,
        400,
    ),
    (
        "text/plain",
        "POST",
        "/products",
        b'{"sku": "A", "name": "x", "price": 1}',
        {"Content-Type": "text/plain"},
        415,
    ),
    (
        "form encoded",
        "POST",
        "/orders",
        b"product_id={product}&quantity=1",
        {"Content-Type": "application/x-www-form-urlencoded"},
        415,
    ),
    (
        "multipart",
        "POST",
        "/orders",
        b"--b\r\n\r\n{}\r\n--b--",
        {"Content-Type": "multipart/form-data; boundary=b"},
        415,
    ),
    ("no content type", "PATCH", "/products/{product}", b'{"stock": 0}', {}, 415),
    (
        "xml",
        "PUT",
        "/orders/{order}",
        b"<status>PAID</status>",
        {"Content-Type": "application/xml"},
        415,
    ),
    (
        "invalid UTF-8",
        "POST",
        "/products",
        b'{"sku": "\xff\xfe", "name": "x", "price": 1}',
        JSON,
        400,
    ),
    ("UTF-16", "POST", "/orders", '{"product_id": 1, "quantity": 1}'.encode("utf-16"), JSON, 400),
    (
        "byte order mark",
        "POST",
        "/orders",
        b'\xef\xbb\xbf{"product_id": {product}, "quantity": 1}',
        JSON,
        400,
    ),
    (
        "lone surrogate",
        "POST",
        "/products",
        b'{"sku": "A\\ud800", "name": "x", "price": 1}',
        JSON,
        400,
    ),
    (
        "NUL in a string",
        "POST",
        "/products",
        b'{"sku": "A\\u0000B", "name": "x", "price": 1}',
        JSON,
        400,
    ),
    ("NUL in a query", "GET", "/products?search=%00", None, {}, 400),
    ("NaN price", "PATCH", "/products/{product}", b'{"price": NaN}', JSON, 400),
    ("product_id 2^64", "POST", "/orders", {"product_id": HUGE, "quantity": 1}, {}, 400),
    ("product_id 2^63", "POST", "/orders", {"product_id": 2**63, "quantity": 1}, {}, 400),
    ("quantity 2^31", "POST", "/orders", {"product_id": "{product}", "quantity": 2**31}, {}, 400),
    ("quantity 2^64", "POST", "/orders", {"product_id": "{product}", "quantity": HUGE}, {}, 400),
    (
        "quantity -2^63",
        "POST",
        "/orders",
        {"product_id": "{product}", "quantity": -(2**63)},
        {},
        400,
    ),
    (
        "quantity 1e400",
        "POST",
        "/orders",
        b'{"product_id": {product}, "quantity": 1e400}',
        JSON,
        400,
    ),
    (
        "quantity 10^45",
        "POST",
        "/orders",
        b'{"product_id": {product}, "quantity": 1' + b"0" * 45 + b"}",
        JSON,
        400,
    ),
    ("stock 2^63", "PUT", "/products/{product}", {"stock": 2**63}, {}, 400),
    ("price 10^20", "PATCH", "/products/{product}", {"price": 10**20}, {}, 400),
    ("GET product 2^64", "GET", f"/products/{HUGE}", None, {}, 404),
    ("PUT product 2^63", "PUT", f"/products/{2**63}", {"name": "x"}, {}, 404),
    ("DELETE order 2^64", "DELETE", f"/orders/{HUGE}", None, {}, 404),
    ("PATCH order -1", "PATCH", "/orders/-1", {"status": "PAID"}, {}, 404),
    ("filter product_id 2^64", "GET", f"/orders?product_id={HUGE}", None, {}, 400),
    ("skip 2^64", "GET", f"/products?skip={HUGE}", None, {}, 400),
    ("limit 2^64", "GET", f"/orders?limit={HUGE}", None, {}, 400),
    ("disallowed Host", "DELETE", "/orders/{order}", None, {"Host": "evil.example"}, 400),
    ("unknown method", "TRACE", "/orders", None, {}, 405),
    # Refused by gunicorn itself, before Django (its answer is JSON too: gunicorn.conf.py).
    ("8 KB request line", "GET", "/products?search=" + "a" * 8192, None, {}, 414),
    ("16 KB header", "GET", "/products", None, {"X-Padding": "a" * 16384}, 431),
]


@pytest.fixture
def rows():
    product = product_create(sku="KEEP", name="Keep", price="9.99", stock=5)
    return {"product": product.pk, "order": order_place(items=[OrderLine(product.pk, 1)]).pk}


def snapshot():
    return (
        list(Product.objects.order_by("pk").values()),
        list(Order.objects.order_by("pk").values()),
        list(StockMovement.objects.order_by("pk").values()),
    )


def fill(value, rows):
    if isinstance(value, str):
        return value.replace("{product}", str(rows["product"])).replace(
            "{order}", str(rows["order"])
        )
    if isinstance(value, bytes):
        return fill(value.decode("latin-1"), rows).encode("latin-1")
    if isinstance(value, dict):
        return {
            key: int(fill(item, rows)) if item == "{product}" else item
            for key, item in value.items()
        }
    return value


@pytest.mark.parametrize(
    "method, path, body, headers, expected",
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_hostile_request_is_a_4xx_and_writes_nothing(
    gunicorn_server, rows, method, path, body, headers, expected
):
    before = snapshot()
    kwargs = {"headers": headers, "timeout": 60}
    if body == "chunked":
        kwargs["data"] = (BIG_BODY[i : i + 65536] for i in range(0, len(BIG_BODY), 65536))
    elif isinstance(body, dict):
        kwargs["json"] = fill(body, rows)
    elif body is not None:
        kwargs["data"] = fill(body, rows)
    response = requests.request(method, gunicorn_server.url + fill(path, rows), **kwargs)
    assert response.status_code == expected, response.content[:300]
    assert response.headers["Content-Type"] == "application/json"
    assert "detail" in response.json()
    assert snapshot() == before


# Requests gunicorn refuses while parsing them, with its reason and message as the detail.
GUNICORN_REFUSALS = {
    "request line over 4 KB": (
        b"GET /products?search=" + b"a" * 8192 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n",
        414,
        "URI Too Long: Request Line is too large (8192 > 4094)",
    ),
    "header over 8 KB": (
        b"GET /products HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 16384 + b"\r\n",
        431,
        "Request Header Fields Too Large: Error parsing headers: "
        "'limit request headers fields size'",
    ),
    "header without a colon": (
        b"GET /products HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n",
        400,
        "Bad Request: Invalid HTTP Header: 'Bad Header'",
    ),
    "garbage after the version": (
        b"GET /products HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n",
        400,
        "Bad Request: Invalid HTTP Version 'Invalid HTTP Version: 'HTTP/1.1 extra''",
    ),
}


@pytest.mark.parametrize(
    "head, status, detail", GUNICORN_REFUSALS.values(), ids=GUNICORN_REFUSALS.keys()
)
def test_requests_gunicorn_refuses_get_the_apis_json_error(gunicorn_server, head, status, detail):
    answer_status, headers, body = raw_exchange(gunicorn_server.url, head + b"\r\n")
    assert (answer_status, json.loads(body)) == (status, {"detail": detail})
    assert b"Content-Type: application/json" in headers
    assert b"Connection: close" in headers


def test_accept_header_never_changes_the_answer(gunicorn_server, rows):
    for accept in ("text/html", "application/xml", "image/png;q=1, */*;q=0"):
        response = requests.get(
            f"{gunicorn_server.url}/products/{rows['product']}",
            headers={"Accept": accept},
            timeout=60,
        )
        assert response.status_code == 200
        assert response.json()["sku"] == "KEEP"


def raw_exchange(url: str, data: bytes) -> tuple[int, bytes, bytes]:
    """Sends bytes no HTTP client library would send; returns the status, headers and body."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(data)
        response = b""
        while chunk := sock.recv(65536):
            response += chunk
    status_line, _, rest = response.partition(b"\r\n")
    headers, _, body = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), headers, body


# X-Event-Id values a client library refuses to send: CR/LF smuggling, obs-fold, NUL, 8-bit bytes.
EVENT_ID_INJECTIONS = {
    "CRLF injects a header": b"X-Event-Id: evt-1\r\nX-Event-Id: evt-2",
    "bare LF": b"X-Event-Id: evt-1\nX-Injected: 1",
    "bare CR": b"X-Event-Id: evt-1\rX-Injected: 1",
    "obs-fold continuation": b"X-Event-Id: evt-1\r\n evt-2",
    "NUL byte": b"X-Event-Id: evt\x001",
    "latin-1 byte": b"X-Event-Id: evt-\xff",
    "UTF-8 text": "X-Event-Id: évènement".encode(),
    "control character": b"X-Event-Id: evt-\x071",
    "300 characters": b"X-Event-Id: " + b"e" * 300,
    "blank": b"X-Event-Id:    ",
}


@pytest.mark.parametrize(
    "event_header", EVENT_ID_INJECTIONS.values(), ids=EVENT_ID_INJECTIONS.keys()
)
def test_event_id_header_injection_is_a_4xx_and_records_nothing(
    gunicorn_server, rows, event_header
):
    body = json.dumps(
        {
            "event": "payment.succeeded",
            "order_id": rows["order"],
            "amount": "9.99",
            "currency": "USD",
        }
    ).encode()
    secret = webhook_secret()
    head = b"\r\n".join(
        [
            b"POST /webhooks/payment HTTP/1.1",
            b"Host: 127.0.0.1",
            b"Connection: close",
            b"Content-Type: application/json",
            b"Content-Length: %d" % len(body),
            b"X-Webhook-Signature: " + webhook_signature(body=body, secret=secret).encode(),
            event_header,
            b"",
        ]
    )
    before = snapshot()
    status, _, _ = raw_exchange(gunicorn_server.url, head + b"\r\n" + body)
    assert 400 <= status < 500
    assert not Payment.objects.exists()
    assert snapshot() == before
