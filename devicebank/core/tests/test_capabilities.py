"""Capabilities: each named once, asked the same way by services, pages, navigation and the API."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from devicebank.conftest import World
from devicebank.devices.permissions import TARGETS_BY_ROLE, can_change_devices, can_register_devices
from devicebank.devices.states import DeviceState
from devicebank.donations.permissions import can_manage_donations
from devicebank.hardware.permissions import can_file_hardware_reports
from devicebank.people.access import SYSTEM_SCOPE, AccessScope, acting_scope, scope_for
from devicebank.people.capabilities import Capability, CapabilityPermission
from devicebank.people.roles import Role
from devicebank.refurbishment.permissions import (
    can_recycle,
    can_refurbish,
    can_reveal_secrets,
    can_see_refurbishment,
)
from devicebank.sanitisation.permissions import can_sanitise

S = DeviceState

# What each capability lets a person do to a device's state: its roles must be allowed those moves, or the
# capability would open a page whose action the lifecycle then refuses.
MOVES = [
    (can_register_devices, {S.RECEIVED}),
    (can_manage_donations, {S.PLEDGED, S.RECEIVED}),
    (can_sanitise, {S.SANITISED}),
    (can_refurbish, {S.IN_REFURBISHMENT, S.READY}),
    (can_recycle, {S.RECYCLED}),
]


@pytest.mark.parametrize(("capability", "moves"), MOVES, ids=lambda v: getattr(v, "what", ""))
def test_no_capability_promises_a_move_its_roles_may_not_make(
    capability: Capability, moves: set[DeviceState]
) -> None:
    for role in capability.roles:
        assert moves <= TARGETS_BY_ROLE[role], f"{role} holds {capability} but may not make {moves}"


def _scope(**roles: frozenset[str]) -> AccessScope:
    return AccessScope(user_id=1, programme_roles={int(pid[1:]): r for pid, r in roles.items()})


def test_warehouse_staff_manage_donations_but_do_not_sanitise() -> None:
    scope = _scope(p1=frozenset({Role.WAREHOUSE}))
    assert can_manage_donations(scope, 1)
    assert not can_sanitise(scope, 1)
    assert not can_sanitise.anywhere(scope)
    assert can_sanitise.programme_ids(scope) == frozenset()


def test_a_capability_holds_only_in_the_programmes_where_the_role_is_held() -> None:
    scope = _scope(p1=frozenset({Role.TECHNICIAN}), p2=frozenset({Role.WAREHOUSE}))
    assert can_sanitise(scope, 1)
    assert not can_sanitise(scope, 2)
    assert not can_sanitise(scope, 3)
    assert can_sanitise.anywhere(scope)
    assert can_sanitise.programme_ids(scope) == frozenset({1})
    assert can_change_devices.programme_ids(scope) == frozenset({1, 2})


def test_platform_admins_hold_every_capability_but_the_least_privilege_ones() -> None:
    admin = AccessScope(user_id=1, is_platform_admin=True)
    assert can_sanitise(admin, 99)
    assert can_sanitise.programme_ids(admin) is None  # every programme
    assert not can_reveal_secrets(admin, 99)
    assert not can_reveal_secrets.anywhere(admin)
    assert can_reveal_secrets.programme_ids(admin) == frozenset()


def test_the_system_acts_under_the_services_own_rules_but_never_reads_secrets() -> None:
    assert acting_scope(None) is SYSTEM_SCOPE
    assert can_manage_donations(SYSTEM_SCOPE, 1)
    assert not can_reveal_secrets(SYSTEM_SCOPE, 1)


def test_people_without_a_programme_role_hold_no_capability() -> None:
    donor = AccessScope(user_id=1, donor_org_ids=frozenset({5}), custodian_org_ids=frozenset({6}))
    for capability in (can_manage_donations, can_sanitise, can_refurbish, can_see_refurbishment):
        assert not capability.anywhere(donor)


def test_a_capability_refuses_in_words_that_name_what_it_allows() -> None:
    from devicebank.core.errors import NotPermitted

    with pytest.raises(NotPermitted, match="does not allow you to record sanitisation in this programme"):
        can_sanitise.require(_scope(p1=frozenset({Role.WAREHOUSE})), 1)


def test_a_capability_cannot_be_given_to_a_role_scopes_do_not_hold_by_programme() -> None:
    with pytest.raises(ValueError, match="programme roles"):
        Capability("read minds", roles={Role.DONOR_CONTACT})


def test_a_scope_is_built_from_memberships_and_capabilities_follow_it(world: World) -> None:
    technician = scope_for(world.user("technician"))
    assert can_sanitise(technician, world.programme.pk)
    assert not can_sanitise(technician, world.other_programme.pk)
    assert not can_manage_donations(technician, world.programme.pk)
    assert can_file_hardware_reports(scope_for(world.user("warehouse")), world.programme.pk)


def _api_views(resolver: URLResolver) -> list[tuple[str, type[APIView]]]:
    found: list[tuple[str, type[APIView]]] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            found += _api_views(pattern)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
            if isinstance(view, type) and issubclass(view, APIView):
                found.append((str(pattern.pattern), view))
    return found


def test_every_api_operation_that_writes_names_the_capability_it_needs() -> None:
    """A write without a capability in its `permission_classes` would rely on the service alone, with no
    declaration a reader (or the schema) can see."""
    missing = []
    for route, view in _api_views(get_resolver()):
        writes = [m for m in ("post", "put", "patch", "delete") if hasattr(view, m)]
        if not writes:
            continue
        if not any(issubclass(cls, CapabilityPermission) for cls in view.permission_classes):
            missing.append(f"{route} ({view.__name__})")
    assert not missing, f"Give these a capability in permission_classes: {missing}"
