"""ETag / If-Match for optimistic concurrency: the HTTP side of a row's `version`."""


def etag_header(version: str) -> dict[str, str]:
    """Response headers carrying a strong ETag for `version`."""
    return {"ETag": f'"{version}"'}


def if_match_versions(request) -> set[str] | None:
    """The versions `If-Match` accepts (`*` for any), or None when the header is absent.

    Comparison is strong (RFC 9110): a weak tag `W/"…"` never matches.
    """
    header = request.headers.get("If-Match")
    if header is None:
        return None
    versions = set()
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*":
            versions.add("*")
        elif len(tag) >= 2 and tag[0] == tag[-1] == '"':
            versions.add(tag[1:-1])
    return versions
