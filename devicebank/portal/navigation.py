"""The service navigation: which sections a signed-in person sees.

A section that is a capability's page (the sanitisation queue, the workbench) is shown when the person holds that
capability somewhere, which is the very question its page asks before it opens (people.capabilities,
`CapabilityRequiredMixin`): a link is shown exactly when its page will open. Lists every signed-in person may open
(devices, donations) are shown to those who have something in them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError
from django.http import HttpRequest
from django.urls import reverse

from devicebank.people.access import AccessScope, scope_for
from devicebank.people.capabilities import Capability
from devicebank.people.permissions import can_manage_roles
from devicebank.recipients.permissions import can_see_schools_at_all
from devicebank.refurbishment.permissions import can_see_refurbishment
from devicebank.sanitisation.permissions import can_sanitise


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    shown: Capability | Callable[[AccessScope], bool]

    def shown_to(self, scope: AccessScope) -> bool:
        return self.shown.anywhere(scope) if isinstance(self.shown, Capability) else self.shown(scope)


def _sees_devices(scope: AccessScope) -> bool:
    return bool(
        scope.is_platform_admin or scope.custodian_org_ids or scope.donor_org_ids or scope.programme_roles
    )


def _sees_donations(scope: AccessScope) -> bool:
    return bool(scope.is_platform_admin or scope.programme_roles or scope.donor_org_ids)


SECTIONS = [
    Section("Devices", "devices:list", _sees_devices),
    Section("Donations", "donations:list", _sees_donations),
    Section("Sanitisation", "sanitisation:queue", can_sanitise),
    Section("Workbench", "refurbishment:workbench", can_see_refurbishment),
    Section("Schools", "recipients:school-list", can_see_schools_at_all),
    Section("People", "memberships", can_manage_roles),
    Section("Admin", "admin:index", lambda scope: scope.is_platform_admin),
]


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    try:
        if user is None or not user.is_authenticated:
            return []
        scope = scope_for(user)
    except DatabaseError:  # the error page must still render when the database is what failed
        return []
    home = reverse("home")
    items = [NavItem("Home", home, active=request.path == home)]
    for section in SECTIONS:
        if section.shown_to(scope):
            url = reverse(section.url_name)
            items.append(NavItem(section.label, url, active=request.path.startswith(url)))
    return items
