"""Serializer building blocks shared by the apps: strict JSON types, no unknown fields."""

import datetime as dt
from collections.abc import Mapping

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

# Row ids are 64-bit; a larger number cannot name a row and must not reach the database.
MAX_ID = 2**63 - 1
# Counts (stock, quantities) are stored as 32-bit integers.
MAX_COUNT = 2**31 - 1


def iso_datetime(value: dt.datetime) -> str:
    """A timestamp as DRF's DateTimeField writes it: ISO 8601 in UTC, `Z` for `+00:00`."""
    text = value.astimezone(dt.UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class StrictCharField(serializers.CharField):
    """A string field that refuses numbers and booleans instead of coercing them to text."""

    default_error_messages = {"invalid": "Not a valid string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """An integer field that accepts JSON integers only: no booleans, strings or fractions."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


UNKNOWN_FIELD = "Unknown field."
READ_ONLY_FIELD = "This field is read-only."


class RejectUnknownFieldsMixin:
    """Rejects body keys the serializer does not accept for writing.

    A key that names a read-only field answers READ_ONLY_FIELD; any other unknown key answers
    UNKNOWN_FIELD. Errors are reported together with the field errors.
    """

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            for key in data.keys() - writable:
                known = key in self.fields
                unknown[key] = [READ_ONLY_FIELD if known else UNKNOWN_FIELD]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, Mapping):
                raise serializers.ValidationError({**exc.detail, **unknown}) from exc
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


# What DRF's and Django's text fields refuse beyond their lengths, as schema patterns: NUL
# characters, and (values being trimmed with str.strip() first) a value of only whitespace when
# blanks are refused. Spelled out, not `\s`: schema validators' `\s` misses some characters
# Python strips (U+001C-U+001F). All of them lie below U+3001.
_STRIPPED = "".join(f"\\u{ord(char):04x}" for char in map(chr, range(0x3001)) if char.isspace())
NO_NUL_PATTERN = r"^[^\x00]*$"
NOT_BLANK_PATTERN = rf"^[^\x00]*[^\x00{_STRIPPED}][^\x00]*$"

# Items one bulk request may carry: large enough for imports, small enough for one transaction.
MAX_BULK_ITEMS = 1000


# Examples of these bodies are whole lists: without this, drf-spectacular would wrap each in
# another list, publishing a nested array the service refuses.
@extend_schema_serializer(many=False)
class IndexedListSerializer(serializers.ListSerializer):
    """A list body whose item errors are reported by index, only for failing items.

    `{"3": {"price": [...]}}`: DRF's LIST_SERIALIZER_ERRORS_AS_DICT keys them by integer; JSON
    object keys are strings, so they become "3". With `unique_field`, an item repeating an
    earlier item's value of that field is an error of its own: `{"3": {"id": ["Duplicate id in
    this request."]}}`.
    """

    unique_field: str | None = None

    def validate(self, attrs):
        if self.unique_field is None:
            return attrs
        seen, duplicates = set(), {}
        for index, item in enumerate(attrs):
            if item[self.unique_field] in seen:
                message = f"Duplicate {self.unique_field} in this request."
                duplicates[str(index)] = {self.unique_field: [message]}
            seen.add(item[self.unique_field])
        if duplicates:
            raise serializers.ValidationError(duplicates)
        return attrs

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, Mapping) and all(isinstance(k, int) for k in exc.detail):
                raise serializers.ValidationError(
                    {str(index): errors for index, errors in exc.detail.items()}
                ) from exc
            raise
