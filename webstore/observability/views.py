"""Health and metrics endpoints."""

from django.http import HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST

from webstore.access.metrics_token import metrics_scraper_authorized
from webstore.observability.health import degraded_dependencies, readiness_problems
from webstore.observability.metrics import metrics_exposition


def health(request):
    """Liveness: the process answers. It touches no database."""
    return JsonResponse({"status": "healthy"})


def health_ready(request):
    """Readiness: 200 when the database answers and is migrated, 503 with the reasons if not.

    Dependencies the service runs without (the cache) are reported under `degraded` when down,
    with either status: `{"status": "ready", "degraded": {"cache": "unreachable"}}`.
    """
    problems = readiness_problems()
    body = {"status": "unavailable", "reasons": problems} if problems else {"status": "ready"}
    if degraded := degraded_dependencies():
        body["degraded"] = degraded
    return JsonResponse(body, status=503 if problems else 200)


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
