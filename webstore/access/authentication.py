"""API-key authentication for DRF: `Authorization: Bearer <key>` or `X-API-Key: <key>`."""

from django.conf import settings
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from webstore.access.exceptions import InvalidApiKey, MalformedAuthorization, RevokedApiKey
from webstore.access.models import ApiKey
from webstore.access.selectors import api_key_get_by_secret


class ApiKeyAuthentication(BaseAuthentication):
    """Identifies the client by its API key; `request.auth` is the ApiKey, `request.user` None.

    A presented key must be valid: unknown → 401, revoked → 403, on any method. With
    REQUIRE_API_KEY off (development) keys are ignored, so stale client settings do no harm.
    Other `Authorization` schemes (e.g. a proxy's Basic auth) are not ours and are ignored.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        if not settings.REQUIRE_API_KEY:
            return None
        secret = self._presented_secret(request)
        if secret is None:
            return None
        api_key = api_key_get_by_secret(secret=secret)
        if api_key is None:
            raise InvalidApiKey()
        if api_key.is_revoked:
            raise RevokedApiKey()
        return (None, api_key)

    def authenticate_header(self, request):
        # Without it DRF answers 403 instead of 401 to a missing or unknown key.
        return f'{self.keyword} realm="api"'

    def _presented_secret(self, request) -> str | None:
        header = get_authorization_header(request).split()
        if header and header[0].lower() == self.keyword.lower().encode():
            if len(header) != 2:
                raise MalformedAuthorization()
            try:
                return header[1].decode()
            except UnicodeDecodeError:
                raise InvalidApiKey() from None
        return request.META.get("HTTP_X_API_KEY") or None


def request_api_key(request) -> ApiKey | None:
    """The ApiKey a DRF request authenticated with, if any."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiKey) else None
