"""The ceiling: a minimal WSGI app answering the benchmark's routes with fixed JSON.

It does no validation, no database and no framework work, so served by the same gunicorn
settings on the same pinned core it is the upper bound no real service can beat. The service's
RPS is reported as a fraction of it.
"""

import orjson

PRODUCT = {"id": 1, "sku": "CEIL-0001", "name": "Ceiling product", "price": 19.99, "stock": 100}
ORDER = {
    "id": 1,
    "product_id": 1,
    "quantity": 1,
    "status": "PENDING",
    "created_at": "2026-11-28T10:00:00.123456Z",
    "unit_price": 19.99,
    "total_price": 19.99,
    "updated_at": "2026-11-28T10:00:00.123456Z",
    "items": [{"product_id": 1, "quantity": 1, "unit_price": 19.99, "line_total": 19.99}],
}
BODIES = {
    ("GET", "list"): (b"200 OK", orjson.dumps([{**PRODUCT, "id": i} for i in range(1, 21)])),
    ("GET", "item"): (b"200 OK", orjson.dumps(PRODUCT)),
    ("POST", "products"): (b"201 Created", orjson.dumps(PRODUCT)),
    ("POST", "orders"): (b"201 Created", orjson.dumps(ORDER)),
    ("GET", "health"): (b"200 OK", orjson.dumps({"status": "healthy"})),
}
_NOT_FOUND = (b"404 Not Found", orjson.dumps({"detail": "Not found."}))


def _route(method: str, path: str) -> tuple[bytes, bytes]:
    parts = path.strip("/").split("/")
    if parts == ["products"]:
        return BODIES.get((method, "list" if method == "GET" else "products"), _NOT_FOUND)
    if len(parts) == 2 and parts[0] == "products":
        return BODIES.get((method, "item"), _NOT_FOUND)
    if parts == ["orders"]:
        return BODIES.get((method, "orders"), _NOT_FOUND)
    if parts == ["health"]:
        return BODIES.get((method, "health"), _NOT_FOUND)
    return _NOT_FOUND


def application(environ, start_response):
    # Read the body like a real service must, so keep-alive framing costs the same.
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)
    status, body = _route(environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/"))
    start_response(
        status.decode(),
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]
