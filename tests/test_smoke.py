#!/usr/bin/env python3
"""Smoke test of a running service, from outside: the product and order flows and the two
error checks of the original spec's Part I.

    python tests/test_smoke.py                                  # http://localhost:8000
    BASE_URL=https://shop.onrender.com python tests/test_smoke.py

BASE_URL, WEBHOOK_SECRET and API_KEY come from the environment or `.env`. Every run uses fresh
SKUs, so it can run any number of times against one deployment. Exits 1 at the first failure,
naming the request, the expected and the received answer. pytest collects the same checks and
runs them against a live server (fixture `api` in tests/conftest.py).
"""

import sys

from blackbox import Api, expect, money, run_checks


def test_health(api: Api):
    expect("GET /health body", api.json("GET", "/health", 200), {"status": "healthy"})


def test_product_flow(api: Api):
    created = api.create_product(prefix="SMOKE", price="19.99", stock=10)
    product_id, sku = created["id"], created["sku"]
    expect(
        "created product",
        {k: v for k, v in created.items() if k != "id"},
        {"sku": sku, "name": "SMOKE test product", "price": 19.99, "stock": 10},
    )

    listed = api.json("GET", "/products/", 200)
    expect("GET /products/ is a list", isinstance(listed, list), True)
    expect(
        f"GET /products/?sku={sku}",
        api.json("GET", "/products/", 200, params={"sku": sku}),
        [created],
    )
    expect(f"GET /products/{product_id}", api.json("GET", f"/products/{product_id}", 200), created)

    updated = api.json(
        "PUT",
        f"/products/{product_id}",
        200,
        json={"name": "SMOKE renamed", "price": 24.5, "stock": 7},
    )
    expect(
        "updated product", updated, {**created, "name": "SMOKE renamed", "price": 24.5, "stock": 7}
    )
    expect(
        "product read back after update", api.json("GET", f"/products/{product_id}/", 200), updated
    )

    api.call("DELETE", f"/products/{product_id}", 204)
    expect(
        "GET of a deleted product",
        api.json("GET", f"/products/{product_id}", 404),
        {"detail": f"Product with ID {product_id} not found"},
    )


def test_order_flow(api: Api):
    product = api.create_product(prefix="SMOKE-ORD", price="12.50", stock=10)
    product_id = product["id"]

    order = api.create_order(product_id, 3)
    expect("new order status", order["status"], "PENDING")
    expect("new order product/quantity", (order["product_id"], order["quantity"]), (product_id, 3))
    expect("new order total_price", money(order["total_price"]), money("37.50"))
    expect(
        "stock after ordering 3 of 10", api.json("GET", f"/products/{product_id}", 200)["stock"], 7
    )
    expect(f"GET /orders/{order['id']}", api.json("GET", f"/orders/{order['id']}", 200), order)

    for status in ("PAID", "SHIPPED"):
        changed = api.json("PUT", f"/orders/{order['id']}/", 200, json={"status": status})
        expect(f"order status after PUT {status}", changed["status"], status)
    expect(
        "shipped order read back",
        api.json("GET", f"/orders/{order['id']}", 200)["status"],
        "SHIPPED",
    )

    second = api.create_order(product_id, 2)
    expect(
        "stock after ordering 2 more", api.json("GET", f"/products/{product_id}", 200)["stock"], 5
    )
    api.call("DELETE", f"/orders/{second['id']}", 204)
    expect(
        "canceled order status",
        api.json("GET", f"/orders/{second['id']}", 200)["status"],
        "CANCELED",
    )
    expect(
        "stock restored by the cancel", api.json("GET", f"/products/{product_id}", 200)["stock"], 7
    )


def test_unknown_product_is_404(api: Api):
    gone = api.create_product(prefix="SMOKE-404")
    api.call("DELETE", f"/products/{gone['id']}", 204)
    expect(
        "GET of an unknown product",
        api.json("GET", f"/products/{gone['id']}", 404),
        {"detail": f"Product with ID {gone['id']} not found"},
    )
    expect(
        "order for an unknown product",
        api.json("POST", "/orders/", 404, json={"product_id": gone["id"], "quantity": 1}),
        {"detail": f"Product with ID {gone['id']} not found"},
    )


def test_insufficient_stock_is_409(api: Api):
    product = api.create_product(prefix="SMOKE-409", stock=5)
    body = api.json("POST", "/orders/", 409, json={"product_id": product["id"], "quantity": 10})
    expect(
        "insufficient stock body",
        body,
        {
            "detail": {
                "error": "Insufficient stock",
                "requested": 10,
                "available": 5,
                "product_id": product["id"],
            }
        },
    )
    expect(
        "stock after the refused order",
        api.json("GET", f"/products/{product['id']}", 200)["stock"],
        5,
    )


CHECKS = [
    test_health,
    test_product_flow,
    test_order_flow,
    test_unknown_product_is_404,
    test_insufficient_stock_is_409,
]

if __name__ == "__main__":
    sys.exit(run_checks(CHECKS))
