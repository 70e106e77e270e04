"""The service navigation: which sections a signed-in person sees."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.db import DatabaseError
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from devicebank.people.access import scope_for
from devicebank.recipients.permissions import can_see_schools_at_all


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    try:
        if user is None or not user.is_authenticated:
            return []
        scope = scope_for(user)
    except DatabaseError:  # the error page must still render when the database is what failed
        return []
    path = request.path
    items = [("Home", reverse("home"))]
    if scope.is_platform_admin or scope.custodian_org_ids or scope.donor_org_ids or scope.programme_roles:
        items.append(("Devices", reverse("devices:list")))
    if scope.is_platform_admin or scope.programme_roles or scope.donor_org_ids:
        items.append(("Donations", reverse("donations:list")))
    if scope.is_platform_admin or scope.programme_roles:
        # Sections of later domains appear once their pages exist.
        for label, name in (("Sanitisation", "sanitisation:queue"), ("Workbench", "refurbishment:workbench")):
            with contextlib.suppress(NoReverseMatch):
                items.append((label, reverse(name)))
    if can_see_schools_at_all(scope):
        items.append(("Schools", reverse("recipients:school-list")))
    if scope.is_platform_admin:
        items.append(("Admin", reverse("admin:index")))
    home = reverse("home")
    return [
        NavItem(label, url, active=(path == url) if url == home else path.startswith(url))
        for label, url in items
    ]
