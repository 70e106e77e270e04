"""Keeps a half-signed-in session to the second-factor pages (see people.two_factor)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse

from devicebank.people.two_factor import authenticator_for, needs_second_factor, session_verified

# Pages anyone may open, signed in or not.
PUBLIC = frozenset({"sign-out", "accessibility", "health", "verify", "verify-find", "api-schema", "api-docs"})
CODE_STEP = "sign-in-code"
SET_UP = "two-factor-set-up"


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware: a signed-in person who has an authenticator but has not entered a
    code reaches only the code step; one whose role needs an authenticator and has none, only the set-up page.

    Requests with an API bearer token carry no session, so they pass (see people.two_factor).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or session_verified(user):
            return self.get_response(request)
        if authenticator_for(user) is not None:
            step = CODE_STEP
        elif needs_second_factor(user):
            step = SET_UP
        else:
            return self.get_response(request)
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return self.get_response(request)  # a 404 either way
        if name in PUBLIC or name == step:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "error": {
                        "code": "second_factor_required",
                        "message": "Finish signing in with your second factor, or use an API token.",
                        "fields": {},
                    }
                },
                status=403,
            )
        target = reverse(step)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
