"""Sign in and out, and a person's API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from devicebank.core.errors import DomainError
from devicebank.core.forms import user_of
from devicebank.people.forms import ApiTokenForm, SignInForm
from devicebank.people.models import ApiToken
from devicebank.people.services import api_token_create, api_token_revoke
from devicebank.people.throttling import SignInThrottle, ThrottledViewMixin


class SignInView(ThrottledViewMixin, auth_views.LoginView):
    throttle_classes = [SignInThrottle]
    throttle_methods = frozenset({"POST"})
    template_name = "people/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


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
