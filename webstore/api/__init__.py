"""The DRF toolkit the apps share: the exception handler and error base classes, parsers,
renderers, pagination, query filters, routers, shared serializer fields, path ids, conditional
requests (ETag / If-Match), request guards and the OpenAPI parts every app uses.

Nothing here knows a domain; apps import from here, never the other way round.
"""
