"""The after-run check that load never loses or invents stock."""

from __future__ import annotations

import requests

PAGE = 1000  # the API's largest page


def stock_discrepancies(
    session: requests.Session, base_url: str, initial_stock: dict[int, int]
) -> list[str]:
    """For each product: stock + its units in non-canceled orders must equal its initial stock.

    Reads only through the public API (every order that contains the product, page by page, and
    that product's item in each, carts included), so it checks a deployment exactly as clients
    see it. Returns one readable line per inconsistent product. Units are counted per order
    (`order_units`), so a server that ignores the `product_id` filter and shows orders without
    items (the original implementation) is checked correctly too.
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
            reserved += sum(order_units(o, product_id) for o in orders if o["status"] != "CANCELED")
            if len(orders) < PAGE:
                break
            skip += PAGE
        if stock + reserved != initial:
            problems.append(
                f"product {product_id}: stock {stock} + ordered {reserved} = "
                f"{stock + reserved}, initial {initial}"
            )
    return problems


def order_units(order: dict, product_id: int) -> int:
    """The units of `product_id` an order (as the API shows it) holds: 0 for other products.

    An order with `items` (a cart) counts the product's item; one without (the original API's
    shape) counts its own `quantity` when it is the product's.
    """
    if "items" in order:
        return sum(item["quantity"] for item in order["items"] if item["product_id"] == product_id)
    return order["quantity"] if order["product_id"] == product_id else 0
