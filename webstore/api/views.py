"""JSON answers for what Django itself rejects: unknown URLs, bad requests, crashes."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def not_found(request, exception=None):
    return JsonResponse({"detail": "Not found."}, status=404)


def bad_request(request, exception=None):
    """Django-level rejections (a disallowed Host, a malformed request) in the contract's shape."""
    return JsonResponse({"detail": "Bad request."}, status=400)


def permission_denied(request, exception=None):
    return JsonResponse({"detail": "Permission denied."}, status=403)


def server_error(request):
    """handler500: a JSON body with the request id, which finds the traceback in the logs."""
    return JsonResponse(
        {"detail": "Internal server error.", "request_id": getattr(request, "request_id", None)},
        status=500,
    )
