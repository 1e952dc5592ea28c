"""The Prometheus scraper's bearer token (METRICS_TOKEN) for /metrics."""

import hmac

from django.conf import settings
from rest_framework.authentication import get_authorization_header

from webstore.access.authentication import ApiKeyAuthentication


def metrics_scraper_authorized(request) -> bool:
    """Whether `request` may read /metrics: always when METRICS_TOKEN is unset, otherwise only
    with `Authorization: Bearer <one of its tokens>`."""
    if not settings.METRICS_TOKENS:
        return True
    # The header read as the API keys' is (DRF's helper), the scheme matched in any case.
    header = get_authorization_header(request).split()
    if len(header) != 2 or header[0].lower() != ApiKeyAuthentication.keyword.lower().encode():
        return False
    # Every token is compared, each in constant time, so the timing tells nothing.
    matches = [hmac.compare_digest(header[1], token.encode()) for token in settings.METRICS_TOKENS]
    return any(matches)
