"""Project-level endpoints: health, metrics and the JSON answers for unknown URLs and crashes."""
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from prometheus_client import CONTENT_TYPE_LATEST

from webstore.authentication import metrics_scraper_authorized
from webstore.health import readiness_problems
from webstore.metrics import metrics_exposition


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


@csrf_exempt
def not_found(request, exception=None):
    return JsonResponse({"detail": "Not found."}, status=404)


def bad_request(request, exception=None):
    """Django-level rejections (a disallowed Host header, a malformed request) in the contract's shape."""
    return JsonResponse({"detail": "Bad request."}, status=400)


def permission_denied(request, exception=None):
    return JsonResponse({"detail": "Permission denied."}, status=403)


def server_error(request):
    """handler500: a JSON body with the request id, which finds the traceback in the logs."""
    return JsonResponse(
        {"detail": "Internal server error.", "request_id": getattr(request, "request_id", None)},
        status=500,
    )
