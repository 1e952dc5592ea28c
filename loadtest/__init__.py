"""Load-test support for locustfile.py: the report with its SLO verdicts, and the stock check.

Kept free of Locust imports (Locust monkey-patches the standard library with gevent on import),
so the test suite can exercise this logic directly.
"""
