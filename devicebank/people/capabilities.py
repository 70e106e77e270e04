"""Named capabilities: what a person may do in a programme, declared once and asked the same way everywhere.

A capability is one thing a person may do in a programme ("manage donations", "sanitise devices"). Each domain
declares its own, by name, in its `permissions.py`, saying which programme roles hold it:

    can_sanitise = Capability("record sanitisation", roles={Role.PROGRAMME_MANAGER, Role.TECHNICIAN})

Everything that needs the answer asks that object, and never the roles or the device states behind it:

- a service, the rule's last line: `can_sanitise.require(scope_for(by), device.programme_id)` (NotPermitted);
- a page or API about one record: `can_sanitise(scope, device.programme_id)`;
- a section page (a queue, the workbench): `CapabilityRequiredMixin` with `capability = can_sanitise`, which
  answers 403 unless `can_sanitise.anywhere(scope)`;
- the navigation (portal): `can_sanitise.anywhere(scope)`, the very question the section page asks, so a link is
  shown exactly when its page opens;
- a selector narrowing to programmes: `can_sanitise.programme_ids(scope)` (None means every programme);
- a DRF view: `permission_classes = [can_sanitise.api]`, then `self.check_object_permissions(request, record)`
  once the record has been read through its scoped selector (404 first, 403 after: existence never leaks).

Read access is not a capability: what a person sees is `people.access.AccessScope` and the selectors built on it.
A capability that depends on a record rather than a programme role (who referred a resident, which organisation
made a request) is a plain `can_*(scope, record)` function in the same `permissions.py`, built on these where it
can, and asked in the same places. docs/architecture.md ("Capabilities") and docs/adr/0004-capabilities.md say why
this is not the `rules` package.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from rest_framework.permissions import BasePermission

from devicebank.core.errors import NotPermitted
from devicebank.people.access import AccessScope, scope_for
from devicebank.people.roles import OPERATIONAL_ROLES


class Capability:
    """One named capability, held by some programme roles (and by platform admins unless said otherwise).

    Args:
        what: what it allows, as a verb phrase that ends "Your role does not allow you to ..." ("manage
            donations"): the refusal people read.
        roles: the programme roles that hold it (people.roles.OPERATIONAL_ROLES: manager, technician, warehouse).
        platform_admins: whether platform admins hold it; False for least-privilege ones (revealing secrets).
    """

    def __init__(self, what: str, *, roles: Iterable[str], platform_admins: bool = True) -> None:
        roles = frozenset(roles)
        unknown = roles - OPERATIONAL_ROLES
        if unknown:  # scopes only know programme roles; anything else would silently never match
            raise ValueError(f"Capabilities are held by programme roles, not {sorted(unknown)}.")
        self.what = what
        self.roles = roles
        self.platform_admins = platform_admins

    def __repr__(self) -> str:
        return f"Capability({self.what!r})"

    @property
    def refusal(self) -> str:
        """What a person is told when they lack it in the programme they asked about."""
        return f"Your role does not allow you to {self.what} in this programme."

    @property
    def refusal_anywhere(self) -> str:
        """What a person is told at a section page when they lack it in every programme."""
        return f"Your role does not allow you to {self.what}."

    def __call__(self, scope: AccessScope, programme_id: int) -> bool:
        """Whether this person holds it in this programme."""
        if scope.is_platform_admin:
            return self.platform_admins
        return bool(self.roles & scope.roles_in_programme(programme_id))

    def anywhere(self, scope: AccessScope) -> bool:
        """Whether this person holds it in at least one programme (section pages and navigation ask this)."""
        if scope.is_platform_admin:
            return self.platform_admins
        return any(self.roles & roles for roles in scope.programme_roles.values())

    def programme_ids(self, scope: AccessScope) -> frozenset[int] | None:
        """The programmes where this person holds it; None means every programme (platform admins)."""
        if scope.is_platform_admin:
            return None if self.platform_admins else frozenset()
        return frozenset(pid for pid, roles in scope.programme_roles.items() if self.roles & roles)

    def require(self, scope: AccessScope, programme_id: int) -> None:
        """Raise NotPermitted (403 in the API, a form error on pages) unless this person holds it there."""
        if not self(scope, programme_id):
            raise NotPermitted(self.refusal)

    def require_anywhere(self, scope: AccessScope) -> None:
        """For work that belongs to no one programme (national data such as GIAS): NotPermitted unless this person
        holds it in at least one."""
        if not self.anywhere(scope):
            raise NotPermitted(self.refusal_anywhere)

    @cached_property
    def api(self) -> type[BasePermission]:
        """A DRF permission class asking this capability of the record a view checks."""
        return type(
            f"Can{''.join(word.capitalize() for word in self.what.split())}",
            (CapabilityPermission,),
            {"capability": self, "message": self.refusal},
        )

    @cached_property
    def api_anywhere(self) -> type[BasePermission]:
        """A DRF permission class for operations that belong to no one programme: the person must hold this
        capability in at least one (checked before the view runs)."""
        return type(
            f"Can{''.join(word.capitalize() for word in self.what.split())}Anywhere",
            (CapabilityAnywherePermission,),
            {"capability": self, "message": self.refusal_anywhere},
        )


def programme_id_of(record: Any) -> int:
    """The programme a checked record belongs to: a programme id itself, or the record's `programme_id`."""
    if isinstance(record, int):
        return record
    programme_id = getattr(record, "programme_id", None)
    if not isinstance(programme_id, int):
        raise TypeError(f"{type(record).__name__} has no programme_id: pass the programme's id instead.")
    return programme_id


class CapabilityPermission(BasePermission):
    """DRF side of a capability (`Capability.api` makes one per capability).

    Signing in is checked for every request; the capability itself once the view has read the record through
    its scoped selector and calls `self.check_object_permissions(request, record)`. So a record outside the
    person's scope is a 404 before any 403, as on the pages.
    """

    capability: Capability
    message = ""
    code = NotPermitted.code

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return self.capability(scope_for(request.user), programme_id_of(obj))


class CapabilityAnywherePermission(CapabilityPermission):
    """DRF side of an operation that belongs to no one programme (`Capability.api_anywhere`)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return super().has_permission(request, view) and self.capability.anywhere(scope_for(request.user))


class CapabilityRequiredMixin(LoginRequiredMixin):
    """A section page (a queue, the workbench) for people who hold `capability` in at least one programme.

    The navigation shows its link on the same condition (`capability.anywhere`), so the two cannot disagree.
    """

    capability: Capability

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not self.capability.anywhere(scope_for(request.user)):
            raise PermissionDenied(self.capability.refusal_anywhere)
        return super().dispatch(request, *args, **kwargs)
