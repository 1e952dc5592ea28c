"""Query-parameter filter types that reject bad values instead of silently ignoring them."""
from django import forms
from django_filters import rest_framework as filters
from django_filters.rest_framework import DjangoFilterBackend

from webstore.serializers import MAX_ID


class StrictBooleanField(forms.Field):
    """`true` or `false` (any case); anything else is an error naming the parameter."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        lowered = str(value).lower()
        if lowered not in ("true", "false"):
            raise forms.ValidationError("Must be 'true' or 'false'.", code="invalid")
        return lowered == "true"


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        # django-filter's default widget maps unknown words to "no filter"; read the raw text.
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class IdFilter(filters.NumberFilter):
    """A whole-number id filter, bounded to the 64-bit range ids live in."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class QueryFilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names none of the view's filters.

    Building a FilterSet binds and validates a Django form, which costs about as much as the
    page query; a list with no filter parameter (the hot path) gets the same rows without it.
    Every filter here reads one parameter named after itself, so the names are the filter keys.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        if request.query_params.keys().isdisjoint(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)
