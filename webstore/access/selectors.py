"""Reads of the project-level models."""

import hashlib

from webstore.access.models import ApiKey


def api_key_hash(secret: str) -> str:
    """The stored form of a key: its SHA-256 hex digest."""
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_get_by_secret(*, secret: str) -> ApiKey | None:
    """The key (revoked or not) whose secret this is, or None."""
    return ApiKey.objects.filter(key_hash=api_key_hash(secret)).first()
