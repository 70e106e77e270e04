"""Sign in (password, then a second factor where needed) and out, a person's account, API tokens."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from django.views.decorators.cache import never_cache

from devicebank.core.errors import DomainError
from devicebank.core.forms import user_of
from devicebank.people.forms import ApiTokenForm, CodeForm, SetUpCodeForm, SignInForm
from devicebank.people.models import ApiToken
from devicebank.people.services import (
    api_token_create,
    api_token_revoke,
    two_factor_enrolment_begin,
    two_factor_enrolment_confirm,
    two_factor_recovery_codes_regenerate,
    two_factor_verify,
)
from devicebank.people.throttling import SignInThrottle, ThrottledViewMixin
from devicebank.people.two_factor import (
    authenticator_for,
    format_key,
    needs_second_factor,
    qr_data_uri,
    recovery_codes_left,
    session_verified,
)


def _next_url(request: HttpRequest) -> str:
    """Where to go after signing in: the `next` asked for, if it is on this site, else home."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("home")


def _with_next(name: str, next_url: str) -> str:
    return reverse(name) + ("?" + urlencode({"next": next_url}) if next_url != reverse("home") else "")


class SignInView(ThrottledViewMixin, auth_views.LoginView):
    throttle_classes = [SignInThrottle]
    throttle_methods = frozenset({"POST"})
    template_name = "people/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        """Straight on to the code step (or to set up an authenticator) when the person needs one."""
        target = super().get_success_url()
        user = self.request.user
        if authenticator_for(user) is not None:
            return _with_next("sign-in-code", target)
        if needs_second_factor(user):
            return _with_next("two-factor-set-up", target)
        return target


class SignOutView(auth_views.LogoutView):
    pass


@method_decorator(never_cache, name="dispatch")
class SignInCodeView(ThrottledViewMixin, LoginRequiredMixin, View):
    """Second step of signing in. Reached only after the password step (the middleware sends people here)."""

    throttle_classes = [SignInThrottle]
    throttle_methods = frozenset({"POST"})
    template = "people/sign_in_code.html"

    def _page(self, request: HttpRequest, form: CodeForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            self.template,
            {"form": form, "next": _next_url(request), "navigation": []},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        if session_verified(request.user):
            return HttpResponseRedirect(_next_url(request))
        if authenticator_for(request.user) is None:
            return HttpResponseRedirect(_with_next("two-factor-set-up", _next_url(request)))
        return self._page(request, CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        user = user_of(request)
        authenticator = authenticator_for(user)
        if authenticator is None:
            return HttpResponseRedirect(_with_next("two-factor-set-up", _next_url(request)))
        form = CodeForm(request.POST)
        if form.is_valid():
            result = two_factor_verify(user=user, code=form.cleaned_data["code"], authenticator=authenticator)
            if result.accepted:
                django_otp.login(request, result.device)
                request.session.cycle_key()  # a new session id for the now fully signed-in session
                if result.device is not authenticator:
                    left = recovery_codes_left(user)
                    messages.warning(
                        request,
                        f"You signed in with a recovery code. You have {left} left: "
                        "make a new set from your account page if you are running out.",
                    )
                return HttpResponseRedirect(_next_url(request))
            form.add_error("code", result.message)
        return self._page(request, form, status=400)


def _recovery_codes_page(
    request: HttpRequest, codes: list[str], *, heading: str, next_url: str
) -> HttpResponse:
    """The one time recovery codes are shown: never cached, never shown again."""
    response = render(
        request, "people/recovery_codes.html", {"codes": codes, "heading": heading, "next": next_url}
    )
    response["Cache-Control"] = "no-store"
    return response


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetUpView(LoginRequiredMixin, View):
    """Set up (or replace) an authenticator app: QR code and key, then a code to prove the app has it."""

    template = "people/two_factor_set_up.html"

    def _page(self, request: HttpRequest, form: SetUpCodeForm, status: int = 200) -> HttpResponse:
        device = two_factor_enrolment_begin(user=user_of(request))
        context: dict[str, object] = {
            "form": form,
            "qr": qr_data_uri(device),
            "key": format_key(device),
            "next": _next_url(request),
            "replacing": authenticator_for(request.user) is not None,
            "required": needs_second_factor(request.user),
        }
        if not session_verified(request.user):
            context["navigation"] = []  # until it is confirmed, the menu would only lead back here
        return render(request, self.template, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, SetUpCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        user = user_of(request)
        form = SetUpCodeForm(request.POST)
        if form.is_valid():
            device = two_factor_enrolment_begin(user=user)
            result, codes = two_factor_enrolment_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
            if result.accepted:
                django_otp.login(request, result.device)
                request.session.cycle_key()
                return _recovery_codes_page(
                    request, codes, heading="Two-factor sign-in is set up", next_url=_next_url(request)
                )
            form.add_error("code", result.message)
        return self._page(request, form, status=400)


class AccountView(LoginRequiredMixin, View):
    """A person's own sign-in settings: their second factor, recovery codes and API tokens."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = user_of(request)
        return render(
            request,
            "people/account.html",
            {
                "authenticator": authenticator_for(user),
                "codes_left": recovery_codes_left(user),
                "required": needs_second_factor(user),
            },
        )


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(LoginRequiredMixin, View):
    """Make a new set of recovery codes (the old set stops working), shown once."""

    def post(self, request: HttpRequest) -> HttpResponse:
        user = user_of(request)
        if authenticator_for(user) is None:
            return HttpResponseRedirect(reverse("two-factor-set-up"))
        codes = two_factor_recovery_codes_regenerate(user=user)
        return _recovery_codes_page(request, codes, heading="New recovery codes", next_url=reverse("account"))


class ApiTokensView(LoginRequiredMixin, View):
    template = "people/api_tokens.html"

    def _context(
        self, request: HttpRequest, form: ApiTokenForm, new_token: str | None = None
    ) -> dict[str, object]:
        tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)  # type: ignore[misc]
        return {"form": form, "tokens": tokens, "new_token": new_token}

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, self._context(request, ApiTokenForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                _, token = api_token_create(user=user_of(request), name=form.cleaned_data["name"])
            except DomainError as error:
                form.add_error("name", error.message)
            else:
                return render(request, self.template, self._context(request, ApiTokenForm(), token))
        return render(request, self.template, self._context(request, form), status=400)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, prefix: str) -> HttpResponse:
        token = ApiToken.objects.filter(user=request.user, prefix=prefix, revoked_at__isnull=True).first()  # type: ignore[misc]
        if token is None:
            raise Http404("No such token.")
        api_token_revoke(token=token, by=user_of(request))
        messages.success(request, f"Revoked the token “{token.name}”.")
        return HttpResponseRedirect(reverse("api-tokens"))
