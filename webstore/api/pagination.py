"""List windows that answer with a bare JSON array: `skip`/`limit`, or an opaque `cursor`.

The original clients page with `skip`/`limit` and read a bare array; that stays exactly as it
was. Every page that has a successor also carries `Link: <url>; rel="next"`, whose `cursor`
continues after the page's last id (keyset pagination: `WHERE id > last ORDER BY id LIMIT n`),
so page N costs the same as page 1 however deep it is.
"""

import base64
import binascii
import json

from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from webstore.api.fields import MAX_ID

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Beyond any real catalogue; larger values are a client bug, answered with 400.
MAX_SKIP = 1_000_000_000
CURSOR_PARAM = "cursor"
LINK_DESCRIPTION = (
    'Present when more rows follow: `<url>; rel="next"`, the same query with an opaque `cursor` '
    "that continues after this page."
)


def cursor_encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> int:
    """The id a cursor continues after; raises ValueError for anything we did not issue."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))["after"]
    except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error):
        raise ValueError("undecodable cursor") from None
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= MAX_ID:
        raise ValueError("cursor out of range")
    return after


class PageParams(serializers.Serializer):
    skip = serializers.IntegerField(min_value=0, max_value=MAX_SKIP, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)
    cursor = serializers.CharField(max_length=200, required=False)

    def validate_cursor(self, value: str) -> int:
        try:
            return cursor_decode(value)
        except ValueError:
            raise serializers.ValidationError("Invalid cursor.") from None

    def validate(self, attrs):
        if "skip" in attrs and "cursor" in attrs:
            raise serializers.ValidationError({"cursor": ["Use either skip or cursor, not both."]})
        return attrs


class SkipLimitPagination(BasePagination):
    """Slices a list by `skip` (>= 0) or `cursor`, and `limit` (1..1000, default 100).

    The queryset is walked in id order, which keyset pagination needs. Its rows may be model
    instances or `values()` dicts with an `id`.
    """

    def paginate_queryset(self, queryset, request, view=None):
        params = PageParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        limit = params.validated_data["limit"]
        queryset = queryset.order_by("pk")
        if "cursor" in params.validated_data:
            window = queryset.filter(pk__gt=params.validated_data["cursor"])[: limit + 1]
        else:
            skip = params.validated_data.get("skip", 0)
            window = queryset[skip : skip + limit + 1]
        rows = list(window)
        page, has_next = rows[:limit], len(rows) > limit
        self.next_url = self._next_url(request, _row_id(page[-1])) if has_next else None
        return page

    def get_paginated_response(self, data):
        headers = {"Link": f'<{self.next_url}>; rel="next"'} if self.next_url else None
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema):
        return schema

    def get_schema_operation_parameters(self, view):
        return [
            _param("skip", f"Rows to skip, 0 to {MAX_SKIP}.", 0, 0, MAX_SKIP),
            _param("limit", f"Rows to return, 1 to {MAX_LIMIT}.", DEFAULT_LIMIT, 1, MAX_LIMIT),
            {
                "name": CURSOR_PARAM,
                "in": "query",
                "required": False,
                "description": 'Opaque cursor from a previous page\'s `Link: rel="next"` header; '
                "continues after that page. Not combinable with `skip`.",
                "schema": {"type": "string"},
            },
        ]

    @staticmethod
    def _next_url(request, last_id: int) -> str:
        url = remove_query_param(request.build_absolute_uri(), "skip")
        return replace_query_param(url, CURSOR_PARAM, cursor_encode(last_id))


def _row_id(row) -> int:
    return row["id"] if isinstance(row, dict) else row.pk


def _param(name: str, description: str, default: int, minimum: int, maximum: int) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "integer", "default": default, "minimum": minimum, "maximum": maximum},
    }
