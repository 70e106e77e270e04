"""Health check, accessibility statement and error pages (the home page is the portal's)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import View
from django.views.decorators.http import require_GET


class AccessibilityView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "core/accessibility.html")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers. Says nothing about data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, template: str, status: int, reason: str = "") -> HttpResponse:
    if request.path.startswith("/api/"):
        messages = {400: "Bad request.", 403: "Forbidden.", 404: "Not found.", 500: "Server error."}
        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 500: "server_error"}
        return JsonResponse(
            {"error": {"code": codes[status], "message": reason or messages[status], "fields": {}}},
            status=status,
        )
    return render(request, template, {"reason": reason}, status=status)


def bad_request(request: HttpRequest, exception: Any = None, reason: str = "") -> HttpResponse:
    """400: Django's handler400, and the answer of request guards (core.middleware) with their reason."""
    return _error(request, "400.html", 400, reason)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, "500.html", 500)
