"""List windows that answer with a bare JSON array: `skip`/`limit`, and an opaque `cursor`.

The original clients page with `skip`/`limit` and read a bare array; that stays exactly as it
was. Every page that has a successor also carries `Link: <url>; rel="next"`, whose `cursor`
continues after the page's last id (keyset pagination: `WHERE id > last ORDER BY id LIMIT n`),
so page N costs the same as page 1 however deep it is. `skip` with a cursor skips rows after it.
"""

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.fields import SkipField, empty
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Beyond any real catalogue; larger values are a client bug, answered with 400.
MAX_SKIP = 1_000_000_000
CURSOR_PARAM = "cursor"
LINK_DESCRIPTION = (
    'Present when more rows follow: `<url>; rel="next"`, the same query with an opaque `cursor` '
    "that continues after this page."
)
# A cursor is the last id as 8 big-endian bytes in unpadded URL-safe base64: 11 characters of
# 6 bits. Ids are at most MAX_ID = 2**63 - 1, so the first character's top bit is 0 (one of the
# alphabet's first 32, A-Za-f); the last character holds the 64th bit's 2 bits of padding, 0
# (every 4th character). Exactly the strings that decode to 0..MAX_ID match; the schema
# publishes this pattern and the decoder accepts nothing else.
CURSOR_BYTES = 8
CURSOR_PATTERN = r"^[A-Za-f][A-Za-z0-9_-]{9}[AEIMQUYcgkosw048]$"
_CURSOR = re.compile(CURSOR_PATTERN)


def cursor_encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(last_id.to_bytes(CURSOR_BYTES, "big")).decode().rstrip("=")


def cursor_decode(cursor: str) -> int:
    """The id a cursor continues after; raises ValueError for anything we did not issue."""
    if not _CURSOR.fullmatch(cursor):
        raise ValueError("not a cursor")
    return int.from_bytes(base64.urlsafe_b64decode(cursor + "="), "big")


class CursorField(serializers.CharField):
    """A cursor a page's `Link` carried, as the id it continues after."""

    default_error_messages = {"invalid": "Invalid cursor."}

    def run_validation(self, data=empty) -> int:
        # Decoded after the text's own checks (its length), as a `validate_cursor` would.
        try:
            return cursor_decode(super().run_validation(data))
        except ValueError:
            self.fail("invalid")


# DRF's fields, built once and used as they are: a Serializer around them would deep-copy all
# three on every list request (a fifth of a product page's Python calls).
PAGE_PARAMS = {
    "skip": serializers.IntegerField(min_value=0, max_value=MAX_SKIP, required=False),
    "limit": serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT),
    "cursor": CursorField(max_length=200, required=False),
}


def page_params(query: Mapping[str, str]) -> dict:
    """The validated `skip`, `limit` and `cursor` of a query string's values; 400 otherwise.

    Answers as a Serializer of these fields would: every bad parameter named with its field's
    messages, absent ones left out or at their default.
    """
    values, errors = {}, {}
    for name, field in PAGE_PARAMS.items():
        try:
            values[name] = field.run_validation(query.get(name, empty))
        except SkipField:
            pass
        except serializers.ValidationError as exc:
            errors[name] = exc.detail
    if errors:
        raise serializers.ValidationError(errors)
    return values


@dataclass(frozen=True)
class Window:
    """Which rows a page holds: `limit` rows, after the id `after` (if any) and `skip` more."""

    limit: int
    skip: int = 0
    after: int | None = None

    @property
    def structure(self) -> tuple:
        """What shapes the page's SQL (LIMIT, OFFSET, a cursor's condition), not its values."""
        return (self.limit, self.skip, self.after is not None)


def window_queryset(queryset: QuerySet, *, limit: int, skip: int = 0, after=None) -> QuerySet:
    """A page's rows in id order, and one more that tells whether another page follows.

    `after` is the id a cursor continues after (an int, or a `Param` bound later); `skip` then
    skips rows after it.
    """
    queryset = queryset.order_by("pk")
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    return queryset[skip : skip + limit + 1]


class SkipLimitPagination(BasePagination):
    """Slices a list after `cursor` (if any), by `skip` (>= 0) and `limit` (1..1000, default 100).

    The rows are walked in id order, which keyset pagination needs. A view may paginate a
    queryset, or read its page itself (`page_window`, then `page_rows` on what it read).
    """

    def paginate_queryset(self, queryset, request, view=None):
        window = self.page_window(request)
        rows = window_queryset(queryset, limit=window.limit, skip=window.skip, after=window.after)
        return self.page_rows(list(rows), window, request)

    def page_window(self, request) -> Window:
        """The window the request's `cursor`, `skip` and `limit` ask for; 400 when invalid."""
        # A plain dict, not the QueryDict: DRF reads "" in form data as "not given", and an
        # empty value is refused here as the filters refuse one.
        params = page_params(request.query_params.dict())
        return Window(limit=params["limit"], skip=params.get("skip", 0), after=params.get("cursor"))

    def page_rows(self, rows: list, window: Window, request) -> list:
        """The page out of the window's rows (one more than the page, if another follows)."""
        page, has_next = rows[: window.limit], len(rows) > window.limit
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
                "continues after that page (`skip` then skips rows after it).",
                "schema": {"type": "string", "pattern": CURSOR_PATTERN},
            },
        ]

    @staticmethod
    def _next_url(request, last_id: int) -> str:
        # The request's own URL without `skip`, with the cursor: DRF's remove_query_param and
        # replace_query_param in one pass (same sorted, re-encoded query).
        scheme, netloc, path, query, fragment = urlsplit(request.build_absolute_uri())
        params = parse_qs(query, keep_blank_values=True)
        params.pop("skip", None)
        params[CURSOR_PARAM] = [cursor_encode(last_id)]
        return urlunsplit(
            (scheme, netloc, path, urlencode(sorted(params.items()), doseq=True), fragment)
        )


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
