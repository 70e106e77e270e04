"""The home page: what needs doing next, for each person's roles."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from devicebank.portal.home import home_sections


class HomeView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "portal/home.html", {"sections": home_sections(request.user)})
