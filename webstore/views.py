"""Project-level endpoints: liveness and the JSON answers for unknown URLs and crashes."""
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


def health(request):
    """Liveness: the process answers. It touches no database."""
    return JsonResponse({"status": "healthy"})


@csrf_exempt
def not_found(request, exception=None):
    return JsonResponse({"detail": "Not found."}, status=404)


def bad_request(request, exception=None):
    """Django-level rejections (a disallowed Host header, a malformed request) in the contract's shape."""
    return JsonResponse({"detail": "Bad request."}, status=400)


def permission_denied(request, exception=None):
    return JsonResponse({"detail": "Permission denied."}, status=403)


def server_error(request):
    return JsonResponse({"detail": "Internal server error."}, status=500)
