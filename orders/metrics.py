"""Orders' business counters, incremented by the services after the transaction commits."""

from prometheus_client import Counter

ORDERS_PLACED = Counter("webstore_orders_placed_total", "Orders placed (stock reserved).")
ORDERS_CANCELED = Counter("webstore_orders_canceled_total", "Orders canceled (stock returned).")
