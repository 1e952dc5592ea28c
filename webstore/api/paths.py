"""Path-id parsing shared by the apps' viewsets."""

from webstore.api.fields import MAX_ID


def parse_path_id(raw: str) -> int | None:
    """Returns the row id a URL segment names, or None when it cannot name any row."""
    if raw.isascii() and raw.isdigit():
        value = int(raw)
        if 0 < value <= MAX_ID:
            return value
    return None
