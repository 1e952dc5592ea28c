"""`Idempotency-Key` support for create endpoints, with the semantics payment APIs use.

The first response (status and body, errors included) to a key is stored for
IDEMPOTENCY_KEY_TTL_SECONDS (24 h) and replayed, marked `Idempotent-Replayed: true`, for every
retry with the same body. The same key with another body is 422; a retry while the first request
still runs is 409. 5xx answers and crashes free the key, so the retry runs for real. Keys are
scoped per API key and endpoint."""

import functools
import hashlib
import json

from django.http import HttpResponse
from rest_framework import serializers

from webstore.access.authentication import request_api_key
from webstore.api.renderers import JSONRenderer
from webstore.idempotency.services import (
    StoredResponse,
    idempotency_begin,
    idempotency_finish,
    idempotency_release,
)

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
KEY_PATTERN = r"^[\x21-\x7e]+$"
# The header's OpenAPI schema: what IdempotencyKeyHeader accepts, and nothing else.
KEY_SCHEMA = {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN}


class IdempotencyKeyHeader(serializers.Serializer):
    key = serializers.RegexField(
        KEY_PATTERN,
        max_length=MAX_KEY_LENGTH,
        error_messages={"invalid": "Use 1 to 255 printable ASCII characters without spaces."},
    )


def idempotent(handler):
    """Wraps a viewset's create handler so an `Idempotency-Key` makes retries safe."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        raw_key = request.headers.get(HEADER)
        if raw_key is None:
            return handler(view, request, *args, **kwargs)
        header = IdempotencyKeyHeader(data={"key": raw_key})
        if not header.is_valid():
            raise serializers.ValidationError({HEADER: header.errors["key"]})
        api_key = request_api_key(request)
        claim = idempotency_begin(
            scope=f"{api_key.pk if api_key else 'anonymous'}:{request.method} {view.basename}",
            key=header.validated_data["key"],
            fingerprint=_fingerprint(request.data),
        )
        if isinstance(claim, StoredResponse):
            return _replay(claim)
        try:
            try:
                response = handler(view, request, *args, **kwargs)
            except Exception as exc:
                # A domain or validation error is an outcome like any other: store its answer.
                # handle_exception re-raises what has no answer (a crash), releasing the key.
                response = view.handle_exception(exc)
        except BaseException:
            idempotency_release(record=claim)
            raise
        if response.status_code >= 500:
            idempotency_release(record=claim)
        else:
            body = JSONRenderer().render(response.data).decode()
            idempotency_finish(record=claim, status_code=response.status_code, body=body)
        return response

    return wrapper


def _fingerprint(data) -> str:
    # The parsed body, canonicalised: key order and whitespace do not make a "different body".
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(stored: StoredResponse) -> HttpResponse:
    response = HttpResponse(stored.body, status=stored.status_code, content_type="application/json")
    response["Idempotent-Replayed"] = "true"
    return response
