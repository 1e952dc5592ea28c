"""ETag / If-Match for optimistic concurrency: the HTTP side of a row's version."""

import hashlib
from collections.abc import Mapping


def row_version(row: Mapping) -> str:
    """A fingerprint of an API row (its ETag): it changes whenever any of its fields does."""
    shown = "|".join(str(value) for value in row.values())
    return hashlib.sha256(shown.encode()).hexdigest()[:32]


def etag_header(version: str) -> dict[str, str]:
    """Response headers carrying a strong ETag for `version`."""
    return {"ETag": f'"{version}"'}


def if_match_versions(request) -> frozenset[str] | None:
    """The versions `If-Match` accepts, or None when any version will do (no header, or `*`).

    Comparison is strong (RFC 9110): a weak tag `W/"…"` never matches, so a header of only weak
    or malformed tags accepts no version at all.
    """
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags:
        return None
    return frozenset(tag[1:-1] for tag in tags if len(tag) >= 2 and tag[0] == tag[-1] == '"')
