"""Inventory's business counters, incremented by the services after the transaction commits."""

from prometheus_client import Counter

INSUFFICIENT_STOCK = Counter(
    "webstore_insufficient_stock_total",
    "Stock decrements refused because the product had too few units.",
)
STOCK_MOVEMENTS = Counter(
    "webstore_stock_movements_total",
    "Rows written to the stock ledger, by reason.",
    ["reason"],
)
