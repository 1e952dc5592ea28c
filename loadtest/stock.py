"""The after-run check that load never loses or invents stock."""

from __future__ import annotations

import requests

PAGE = 1000  # the API's largest page


def stock_discrepancies(
    session: requests.Session, base_url: str, initial_stock: dict[int, int]
) -> list[str]:
    """For each product: stock + its units in non-canceled orders must equal its initial stock.

    Reads only through the public API (every order that contains the product, page by page, and
    that product's item in each, carts included), so it checks
    a deployment exactly as clients see it. Returns one readable line per inconsistent product.
    """
    problems = []
    for product_id, initial in sorted(initial_stock.items()):
        response = session.get(f"{base_url}/products/{product_id}", timeout=30)
        response.raise_for_status()
        stock = response.json()["stock"]
        reserved, skip = 0, 0
        while True:
            page = session.get(
                f"{base_url}/orders/",
                timeout=60,
                params={"product_id": product_id, "skip": skip, "limit": PAGE},
            )
            page.raise_for_status()
            orders = page.json()
            reserved += sum(
                item["quantity"]
                for order in orders
                if order["status"] != "CANCELED"
                for item in order["items"]
                if item["product_id"] == product_id
            )
            if len(orders) < PAGE:
                break
            skip += PAGE
        if stock + reserved != initial:
            problems.append(
                f"product {product_id}: stock {stock} + ordered {reserved} = "
                f"{stock + reserved}, initial {initial}"
            )
    return problems
