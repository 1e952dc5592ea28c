"""The response renderer: JSON through orjson, decimals as JSON numbers."""

from decimal import Decimal

import orjson
from django.utils.functional import Promise
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


def _encode_extra(value):
    # Prices have at most 2 decimal places and 10 digits, so the float's shortest repr is
    # exactly the decimal (19.99 stays 19.99).
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class JSONRenderer(BaseRenderer):
    """Renders response data as compact UTF-8 JSON."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=_encode_extra)


class JSONOnlyNegotiation(DefaultContentNegotiation):
    """Every API view has one representation, sent whatever `Accept` or `?format=` says.

    DRF's default answers 406 to `Accept: text/html` and 404 to `?format=xml`; the original
    service (FastAPI) ignores both, and its clients must work unchanged.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type
