"""Sign in (password, then a second factor where needed) and out, a person's account, API tokens."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from django.views.decorators.cache import never_cache

from devicebank.core.errors import DomainError
from devicebank.core.forms import user_of
from devicebank.people.access import scope_for
from devicebank.people.forms import ApiTokenForm, CodeForm, GrantRoleForm, SetUpCodeForm, SignInForm
from devicebank.people.models import ApiToken, Membership
from devicebank.people.permissions import can_manage_roles, can_revoke, roles_grantable
from devicebank.people.roles import Role
from devicebank.people.selectors import memberships_in, organisations_in, user_by_email
from devicebank.people.services import (
    api_token_create,
    api_token_revoke,
    membership_grant,
    membership_revoke,
    two_factor_enrolment_begin,
    two_factor_enrolment_confirm,
    two_factor_recovery_codes_regenerate,
    two_factor_verify,
)
from devicebank.people.throttling import SignInThrottle, ThrottledViewMixin
from devicebank.people.two_factor import (
    Outcome,
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
                if result.outcome is Outcome.RECOVERY_CODE_USED:
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
                "manages_roles": can_manage_roles(scope_for(user)),
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


class MembershipsView(LoginRequiredMixin, View):
    """Programme managers give and take away roles at their programme's organisations (people.permissions)."""

    template = "people/memberships.html"

    def _grantable(self, request: HttpRequest) -> dict[int, frozenset[str]]:
        scope = scope_for(request.user)
        if not can_manage_roles(scope):
            raise PermissionDenied
        return roles_grantable(scope)

    def _page(
        self,
        request: HttpRequest,
        grantable: dict[int, frozenset[str]],
        form: GrantRoleForm,
        status: int = 200,
    ) -> HttpResponse:
        scope = scope_for(request.user)
        rows = [(m, can_revoke(scope, m, grantable)) for m in memberships_in(grantable)]
        return render(request, self.template, {"form": form, "rows": rows}, status=status)

    def _form(self, grantable: dict[int, frozenset[str]], data: object = None) -> GrantRoleForm:
        return GrantRoleForm(data, grantable=grantable, organisations=organisations_in(grantable))

    def get(self, request: HttpRequest) -> HttpResponse:
        grantable = self._grantable(request)
        return self._page(request, grantable, self._form(grantable))

    def post(self, request: HttpRequest) -> HttpResponse:
        grantable = self._grantable(request)
        form = self._form(grantable, request.POST)
        if form.is_valid():
            person = user_by_email(form.cleaned_data["email"])
            if person is None or not person.is_active:
                # Said only to managers, who need to know whether to ask for an account to be made.
                form.add_error("email", "There is no devicebank account with that email address")
            else:
                organisation = organisations_in(grantable).get(pk=form.cleaned_data["organisation"])
                role = Role(form.cleaned_data["role"])
                membership_grant(user=person, organisation=organisation, role=role, by=user_of(request))
                messages.success(request, f"{person} is now {role.label.lower()} at {organisation.name}.")
                return HttpResponseRedirect(reverse("memberships"))
        return self._page(request, grantable, form, status=400)


class MembershipRevokeView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        scope = scope_for(request.user)
        if not can_manage_roles(scope):
            raise PermissionDenied
        grantable = roles_grantable(scope)
        membership = (
            Membership.objects.select_related("user", "organisation")
            .filter(pk=pk, organisation_id__in=grantable)
            .first()
        )
        if membership is None or membership.role not in grantable[membership.organisation_id]:
            raise Http404("No such role.")
        if not can_revoke(scope, membership, grantable):
            messages.error(request, "You cannot remove your own programme manager role. Ask another manager.")
            return HttpResponseRedirect(reverse("memberships"))
        membership_revoke(membership=membership, by=user_of(request))
        messages.success(
            request,
            f"{membership.user} is no longer {membership.get_role_display().lower()} at "
            f"{membership.organisation.name}.",
        )
        return HttpResponseRedirect(reverse("memberships"))
