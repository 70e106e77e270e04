"""Request rate limits: DRF's throttles for the API, and the same machinery for sign-in and public pages.

Rates live in `settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` under a scope name:
- `anon` and `user`: every API request, by client address or by user (session or bearer token alike);
- `sign-in`: each POST to the password and code steps of signing in, by client address;
- `verify`: the public certificate verification page, by client address.

Counters are kept in the default cache. With several server processes set CACHE_URL (Redis) so they share one
count; with the local-memory cache each process counts on its own (docs/operations.md).
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.views import View
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


def client_ip(request: Any) -> str:
    """The address of the client: REMOTE_ADDR, or, behind our own proxies, the one they saw.

    Behind `DEVICEBANK_TRUSTED_PROXY_COUNT` proxies each appends the address it was called from to
    X-Forwarded-For, so the client is that many entries from the right. Entries further left come from the
    client itself and are never trusted.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "DEVICEBANK_TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return remote


class _LiveRates:
    """Read the rate when the throttle is made, not when the module was imported (DRF's class attribute)."""

    scope: str | None

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return None if rate is None else str(rate)

    def get_ident(self, request: Any) -> str:
        return client_ip(request)


class AnonThrottle(_LiveRates, AnonRateThrottle):
    """API requests without a user, by client address."""


class UserThrottle(_LiveRates, UserRateThrottle):
    """API requests by a signed-in user or a bearer token's user; anonymous ones by client address."""


class AddressThrottle(_LiveRates, SimpleRateThrottle):
    """One count per client address for a named scope, whoever is signed in."""

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInThrottle(AddressThrottle):
    scope = "sign-in"


class PublicVerifyThrottle(AddressThrottle):
    scope = "verify"


class ThrottledViewMixin(View):
    """DRF throttles on a plain Django view: over the rate, a 429 page that says when to try again.

    `throttle_classes` name the scopes; `throttle_methods` the HTTP methods counted (GETs of a sign-in form cost
    nothing to an attacker, so sign-in counts only POSTs).
    """

    throttle_classes: ClassVar[list[type[AddressThrottle]]] = []
    throttle_methods: ClassVar[frozenset[str]] = frozenset({"GET", "POST"})

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method in self.throttle_methods:
            waits = []
            for throttle_class in self.throttle_classes:
                throttle = throttle_class()
                # DRF's throttles read only META and `user` from the request, which a Django request has too.
                if throttle.rate is not None and not throttle.allow_request(
                    cast(Any, request), cast(Any, self)
                ):
                    waits.append(throttle.wait() or 60)
            if waits:
                return too_many_requests(request, int(max(waits)) + 1)
        return super().dispatch(request, *args, **kwargs)


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 with Retry-After: JSON under /api/, a page elsewhere. Says nothing about any account."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "error": {
                    "code": "throttled",
                    "message": f"Too many requests. Try again in {retry_after} seconds.",
                    "fields": {},
                }
            },
            status=429,
        )
    else:
        minutes = max(1, (retry_after + 59) // 60)
        response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
