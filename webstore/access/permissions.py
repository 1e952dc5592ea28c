"""Who may call what: reads are public, writes need an API key when REQUIRE_API_KEY is on."""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission

from webstore.access.authentication import request_api_key
from webstore.access.exceptions import ApiKeyRequired


class ApiKeyRequiredForWrites(BasePermission):
    """Lets reads through; POST/PUT/PATCH/DELETE need a valid key (401 without one)."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or not settings.REQUIRE_API_KEY:
            return True
        if request_api_key(request) is None:
            raise ApiKeyRequired()
        return True
