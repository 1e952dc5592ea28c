"""The stack's floor: Django and DRF answering the benchmark's routes without doing any work.

Between the ceiling (bare WSGI) and the service sit the layers the service is built on. Each
floor is the project itself (its settings, middleware, DRF defaults: authentication, permission,
throttle, parser, renderer, exception handler) with views that return the ceiling's fixed JSON:

    django  plain Django function views          (WSGI handler + the project's middleware)
    drf     DRF ViewSets behind the project's router (+ DRF's request, parsing, rendering)

Served by the same gunicorn settings on the same pinned core (`bench/run.py --targets`), the
floor says what share of the ceiling the fixed stack reaches before the app reads or writes a
single row, so the service's own cost is the gap between `drf` and `service`.
"""
