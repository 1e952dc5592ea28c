"""Rate limits per API key (or client IP), with separate read and write budgets.

Rates come from settings.THROTTLE_RATES (env RATE_LIMIT_READ / RATE_LIMIT_WRITE) and are read per
request, so a rate of None switches the limit off. Counters live in the default cache: Redis when
REDIS_URL is set, so every worker and instance shares them.
"""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from webstore.access.authentication import request_api_key


def client_ip(request) -> str:
    """The caller's IP: REMOTE_ADDR, or the X-Forwarded-For entry our NUM_PROXIES proxies added.

    Entries left of those are client-supplied and could be forged to dodge limits and lockouts.
    """
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


class _ApiRateThrottle(SimpleRateThrottle):
    methods_safe: bool

    def get_rate(self):
        return settings.THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if (request.method in SAFE_METHODS) != self.methods_safe:
            return None
        api_key = request_api_key(request)
        ident = f"key:{api_key.pk}" if api_key else f"ip:{client_ip(request)}"
        return f"throttle:{self.scope}:{ident}"


class ReadRateThrottle(_ApiRateThrottle):
    """GET/HEAD/OPTIONS budget (RATE_LIMIT_READ)."""

    scope = "read"
    methods_safe = True


class WriteRateThrottle(_ApiRateThrottle):
    """POST/PUT/PATCH/DELETE budget (RATE_LIMIT_WRITE)."""

    scope = "write"
    methods_safe = False
