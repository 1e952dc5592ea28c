"""The original API's `skip`/`limit` window, answering with a bare JSON array."""
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Beyond any real catalogue; larger values are a client bug, answered with 400.
MAX_SKIP = 1_000_000_000


class SkipLimitParams(serializers.Serializer):
    skip = serializers.IntegerField(min_value=0, max_value=MAX_SKIP, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)


class SkipLimitPagination(BasePagination):
    """Slices a list with validated `skip` (>= 0) and `limit` (1..1000, default 100)."""

    def paginate_queryset(self, queryset, request, view=None):
        params = SkipLimitParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        skip, limit = params.validated_data["skip"], params.validated_data["limit"]
        return list(queryset[skip : skip + limit])

    def get_paginated_response(self, data):
        return Response(data)

    def get_paginated_response_schema(self, schema):
        return schema

    def get_schema_operation_parameters(self, view):
        return [
            _param("skip", f"Rows to skip, 0 to {MAX_SKIP}.", 0, 0, MAX_SKIP),
            _param("limit", f"Rows to return, 1 to {MAX_LIMIT}.", DEFAULT_LIMIT, 1, MAX_LIMIT),
        ]


def _param(name: str, description: str, default: int, minimum: int, maximum: int) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "integer", "default": default, "minimum": minimum, "maximum": maximum},
    }
