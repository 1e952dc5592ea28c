"""Writes of API keys: create (the secret is returned once) and revoke."""

import secrets

from django.utils import timezone

from webstore.access.models import ApiKey
from webstore.access.selectors import api_key_hash

API_KEY_TAG = "wsk"


def api_key_create(*, name: str) -> tuple[ApiKey, str]:
    """Creates a key and returns it with its secret, which is never stored or shown again."""
    prefix = secrets.token_hex(4)
    secret = f"{API_KEY_TAG}_{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(name=name, prefix=prefix, key_hash=api_key_hash(secret))
    return api_key, secret


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revokes a key for good (writes with it answer 403); revoking twice changes nothing."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key
