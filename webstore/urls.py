"""Mounts the apps' APIs, the docs, health and metrics, and the admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularJSONAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from webstore.api import views as api_views
from webstore.observability import views as observability_views

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path(
        settings.ADMIN_URL.rstrip("/"),
        RedirectView.as_view(url=f"/{settings.ADMIN_URL}", permanent=True),
    ),
    re_path(r"^health/?$", observability_views.health, name="health"),
    re_path(r"^health/ready/?$", observability_views.health_ready, name="health-ready"),
    re_path(r"^metrics/?$", observability_views.metrics, name="metrics"),
    re_path(r"^openapi\.json/?$", SpectacularJSONAPIView.as_view(), name="openapi"),
    re_path(r"^docs/?$", SpectacularSwaggerView.as_view(url_name="openapi"), name="docs"),
    re_path(r"^redoc/?$", SpectacularRedocView.as_view(url_name="openapi"), name="redoc"),
    path("", include("inventory.urls")),
    path("", include("orders.urls")),
    path("", include("payments.urls")),
    # Last: any other path is a JSON 404 (also with DEBUG on, where handler404 is not used).
    re_path(r"^", api_views.not_found),
]

handler400 = "webstore.api.views.bad_request"
handler403 = "webstore.api.views.permission_denied"
handler404 = "webstore.api.views.not_found"
handler500 = "webstore.api.views.server_error"
