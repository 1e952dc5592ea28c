"""The request body parser: strict JSON, bounded in size and depth."""

import orjson
from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser


class RequestTooLarge(APIException):
    """A body above DATA_UPLOAD_MAX_MEMORY_SIZE; the answer names the limit."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(f"Request body too large (limit {limit} bytes).")


class JSONParser(BaseParser):
    """Parses a JSON body with orjson.

    Unlike DRF's parser it caps the body at DATA_UPLOAD_MAX_MEMORY_SIZE (DRF reads the raw
    stream, which bypasses Django's own cap) and turns every malformed input, including invalid
    UTF-8, NaN and nesting deeper than orjson's limit, into a 400 instead of a 500.
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise RequestTooLarge()
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
