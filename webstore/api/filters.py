"""Query-parameter filter types that reject bad values instead of silently ignoring them.

A typed parameter that is present must carry a value: `?status=` or `?created_after=` is a 400
naming the parameter, not "no filter" (the contract validates query parameters like bodies).
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django_filters import fields as filter_fields
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema_field

from webstore.api.fields import MAX_ID, NO_NUL_PATTERN
from webstore.api.rows import Param


class ValueRequiredMixin:
    """Rejects a parameter sent with an empty value (form fields map "" to "not given")."""

    def to_python(self, value):
        if value == "":
            raise forms.ValidationError("Enter a value.", code="empty")
        return super().to_python(value)


class StrictBooleanField(ValueRequiredMixin, forms.Field):
    """`true` or `false` (any case); anything else is an error naming the parameter."""

    def to_python(self, value):
        value = super().to_python(value)
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


class IdField(ValueRequiredMixin, forms.IntegerField):
    pass


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """A whole-number id filter, bounded to the 64-bit range ids live in."""

    field_class = IdField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class TextFilter(filters.CharFilter):
    """A text filter whose schema says what its form field refuses: more than `max_length`
    characters, and NUL characters (an empty value means no filter)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = {"type": "string", "pattern": NO_NUL_PATTERN}
        if self.extra.get("max_length") is not None:
            schema["maxLength"] = self.extra["max_length"]
        extend_schema_field(schema)(self)


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


def filter_values(filterset_class: type[filters.FilterSet], request) -> dict[str, Any]:
    """The validated values of the filters a request names; a 400 naming a bad parameter.

    The filter backend's validation, for views that read their rows through a selector: the
    values go to `filter_parametrized` (through the selector) instead of into a queryset here.
    """
    if request.query_params.keys().isdisjoint(filterset_class.base_filters):
        return {}
    filterset = filterset_class(data=request.query_params, request=request)
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    cleaned = filterset.form.cleaned_data
    return {name: value for name, value in cleaned.items() if value not in EMPTY_VALUES}


def filter_structure(values: Mapping[str, Any]) -> tuple:
    """What of the filter values shapes the SQL: the filters used, and booleans' values.

    Any other value only fills a placeholder, so every search term shares one statement.
    """
    return tuple(
        sorted(
            (name, value) if isinstance(value, bool) else (name,) for name, value in values.items()
        )
    )


def filter_parametrized(
    filterset_class: type[filters.FilterSet], queryset: QuerySet, structure: tuple
) -> QuerySet:
    """`queryset` filtered as `structure` says, each filter's value a `Param` of its name.

    The FilterSet's own filters (and filter methods) build the conditions, so they stay the
    one definition of what a parameter means; they must hand the value to the ORM untouched.
    """
    filterset = filterset_class(queryset=queryset)
    model = filterset._meta.model
    for name, *fixed in structure:
        filter_ = filterset.filters[name]
        value = fixed[0] if fixed else Param(name, _model_field(model, filter_.field_name))
        queryset = filter_.filter(queryset, value)
    return queryset


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class StrictChoiceField(ValueRequiredMixin, filter_fields.ChoiceField):
    pass


class StrictChoiceFilter(filters.ChoiceFilter):
    field_class = StrictChoiceField


class UtcDateTimeField(ValueRequiredMixin, filter_fields.IsoDateTimeField):
    """An ISO 8601 timestamp, normalized to UTC before it reaches the database.

    Python accepts UTC offsets up to ±23:59 but PostgreSQL only ±15:59, so a value such as
    `...+22:11` must not be passed through with its own offset.
    """

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError(
                "Enter a date and time between years 1 and 9999 (UTC).", code="invalid"
            ) from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField
