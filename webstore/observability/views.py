"""Health and metrics endpoints."""

from django.http import HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST

from webstore.access.metrics_token import metrics_scraper_authorized
from webstore.observability.health import readiness_problems
from webstore.observability.metrics import metrics_exposition


def health(request):
    """Liveness: the process answers. It touches no database."""
    return JsonResponse({"status": "healthy"})


def health_ready(request):
    """Readiness: 200 when the database answers and is migrated, 503 with the reasons if not."""
    problems = readiness_problems()
    if problems:
        return JsonResponse({"status": "unavailable", "reasons": problems}, status=503)
    return JsonResponse({"status": "ready"})


def metrics(request):
    """Prometheus scrape endpoint, summed over every gunicorn worker.

    With METRICS_TOKEN set the scraper must send `Authorization: Bearer <token>`: request counts,
    routes and business counters are not for the public internet.
    """
    if not metrics_scraper_authorized(request):
        response = JsonResponse({"detail": "Invalid or missing metrics token."}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics_exposition(), content_type=CONTENT_TYPE_LATEST)
