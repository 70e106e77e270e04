"""Request guards that hold for every URL, before any view or database sees the request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

NUL = "\x00"


def has_nul(request: HttpRequest) -> bool:
    """Whether the path, a query parameter (name or value) or a cookie carries a NUL character.

    PostgreSQL text cannot hold NUL, so a lookup with one raises instead of finding nothing; no real input
    needs one. Form and JSON bodies are checked by their fields (Django's and DRF's CharField refuse NUL).
    """
    if NUL in request.path_info:
        return True
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return True
    return any(NUL in key or NUL in value for key, value in request.COOKIES.items())


class RejectNulMiddleware:
    """Answer 400, with the reason, to a request whose path, query string or cookies carry a NUL character.

    One place for what would otherwise be a 500 wherever a query parameter or a path segment reaches the
    database (`?programme=%00`, `/devices/%00/`, a forged session cookie).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            from django.contrib.auth.models import AnonymousUser

            from devicebank.core.views import bad_request

            request.user = AnonymousUser()  # the session is not read: its cookie may be the bad part
            return bad_request(request, reason=NUL_REFUSAL)
        return self.get_response(request)


NUL_REFUSAL = "The address or a cookie contains a NUL character, which no request may carry."
