"""Who may see and do what: the one place memberships become access.

Every list, page, API endpoint and export asks `scope_for(user)` and filters with the selectors built on it
(`devices.selectors.device_list` and friends). Nothing else reads memberships to decide access.

The rules:
- A platform admin sees everything.
- A programme manager sees every programme their organisation owns, and everything in it.
- Technicians and warehouse staff see the programmes their organisation is a partner in.
- School and organisation staff see the devices their organisation holds (a responsible body also sees what
  its schools hold).
- A donor contact sees the devices their organisation donated, read-only.
- A funder sees the aggregate figures of the programmes it funds, and may open one of their devices' pages
  (`device_read_filter`), where it reads only the public milestones (core.audiences); it lists no records.
- A referrer sees no devices (referrals arrive with the recipients issue).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from devicebank.core.audiences import Audience
from devicebank.people.models import Membership, Organisation, User
from devicebank.people.roles import Role

_CACHE_ATTR = "_devicebank_access_scope"


@dataclass(frozen=True)
class AccessScope:
    user_id: int | None
    is_platform_admin: bool = False
    roles: frozenset[str] = frozenset()
    # programme id -> roles the user holds in that programme (manager, technician, warehouse)
    programme_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    custodian_org_ids: frozenset[int] = frozenset()
    donor_org_ids: frozenset[int] = frozenset()
    funded_programme_ids: frozenset[int] = frozenset()
    member_org_ids: frozenset[int] = frozenset()

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def operational_programme_ids(self) -> frozenset[int]:
        return frozenset(self.programme_roles)

    @property
    def reporting_programme_ids(self) -> frozenset[int]:
        return self.operational_programme_ids | self.funded_programme_ids

    def has_role(self, *roles: str) -> bool:
        return self.is_platform_admin or bool(self.roles.intersection(roles))

    def roles_in_programme(self, programme_id: int) -> frozenset[str]:
        if self.is_platform_admin:
            return frozenset({Role.PLATFORM_ADMIN})
        return self.programme_roles.get(programme_id, frozenset())

    def audiences_for(
        self, *, programme_id: int | None, custodian_id: int | None = None, donor_id: int | None = None
    ) -> frozenset[Audience]:
        """The audiences (core.audiences) this reader belongs to for one record of a programme: which of its
        events, and which of their fields, they are shown. Everyone is in the public audience."""
        if self.is_platform_admin:
            return frozenset({Audience.STAFF, Audience.PUBLIC})
        audiences = {Audience.PUBLIC}
        roles = (
            self.programme_roles.get(programme_id, frozenset()) if programme_id is not None else frozenset()
        )
        if Role.PROGRAMME_MANAGER in roles:
            audiences.add(Audience.STAFF)
        if roles & {Role.TECHNICIAN, Role.WAREHOUSE}:
            audiences.add(Audience.PARTNER)
        if custodian_id is not None and custodian_id in self.custodian_org_ids:
            audiences.add(Audience.HOLDER)
        if donor_id is not None and donor_id in self.donor_org_ids:
            audiences.add(Audience.DONOR)
        return frozenset(audiences)

    def device_filter(self) -> Q:
        """The rows of Device this scope may read; `Q(pk__in=[])` when none."""
        if self.is_platform_admin:
            return Q()
        visible = Q(pk__in=[])
        if self.programme_roles:
            visible |= Q(programme_id__in=self.operational_programme_ids)
        if self.custodian_org_ids:
            visible |= Q(custodian_id__in=self.custodian_org_ids)
        if self.donor_org_ids:
            visible |= Q(donor_id__in=self.donor_org_ids)
        return visible

    def device_read_filter(self) -> Q:
        """`device_filter`, plus the devices of programmes this scope funds: a funder may open one device's
        page and timeline, where it is shown what the public audience is (core.audiences), but lists nothing."""
        if self.is_platform_admin or not self.funded_programme_ids:
            return self.device_filter()
        return self.device_filter() | Q(programme_id__in=self.funded_programme_ids)

    def programme_filter(self) -> Q:
        if self.is_platform_admin:
            return Q()
        ids = self.reporting_programme_ids
        return Q(pk__in=ids) if ids else Q(pk__in=[])

    def organisation_filter(self) -> Q:
        """Organisations this scope may list: its own, and those in the programmes it works in."""
        if self.is_platform_admin:
            return Q()
        programmes = self.operational_programme_ids
        return (
            Q(pk__in=self.member_org_ids)
            | Q(owned_programmes__in=programmes)
            | Q(partner_programmes__in=programmes)
        )


ANONYMOUS_SCOPE = AccessScope(user_id=None)

# The system itself: command-line imports, the demo seed, jobs acting for no one (services take `by=None`). It
# works under each service's own rules and sees every programme. Never built from a request.
SYSTEM_SCOPE = AccessScope(user_id=None, is_platform_admin=True)


def scope_for(user: User | AnonymousUser | None) -> AccessScope:
    """Build (once per user object, so once per request) the user's access scope from their memberships."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS_SCOPE
    cached: AccessScope | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _build_scope(user)
    setattr(user, _CACHE_ATTR, scope)
    return scope


def acting_scope(by: User | None) -> AccessScope:
    """The scope a service acts in: the person's, or the system's when `by` is None."""
    return SYSTEM_SCOPE if by is None else scope_for(by)


def forget_scope(user: User) -> None:
    """Drop a cached scope after memberships change within the same request or test."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _programme_ids(org_ids: set[int], relation: str) -> list[int]:
    """Ids of the programmes these organisations own, partner in or fund (`relation` is the reverse name on
    Organisation). Read through Organisation so that people, below programmes, never imports them."""
    ids = Organisation.objects.filter(pk__in=org_ids).values_list(relation, flat=True)
    return [pid for pid in ids if pid is not None]


def _build_scope(user: User) -> AccessScope:
    memberships = list(
        Membership.objects.filter(user=user, organisation__is_active=True).values_list(
            "organisation_id", "role"
        )
    )
    roles = frozenset(role for _, role in memberships)
    if Role.PLATFORM_ADMIN in roles:
        return AccessScope(user_id=user.pk, is_platform_admin=True, roles=roles)

    orgs_by_role: dict[str, set[int]] = defaultdict(set)
    for org_id, role in memberships:
        orgs_by_role[role].add(org_id)

    programme_roles: dict[int, set[str]] = defaultdict(set)
    manager_orgs = orgs_by_role.get(Role.PROGRAMME_MANAGER, set())
    if manager_orgs:
        for programme_id in _programme_ids(manager_orgs, "owned_programmes"):
            programme_roles[programme_id].add(Role.PROGRAMME_MANAGER)
    for role in (Role.TECHNICIAN, Role.WAREHOUSE):
        org_ids = orgs_by_role.get(role, set())
        if org_ids:
            for programme_id in _programme_ids(org_ids, "partner_programmes"):
                programme_roles[programme_id].add(role)

    # Operational roles see by programme; custody is how schools and charities see what they hold. Keeping
    # the two apart keeps each person's device filter a single indexed condition in the common case.
    staff_orgs: set[int] = set(orgs_by_role.get(Role.ORGANISATION_STAFF, set()))
    if staff_orgs:
        # A responsible body's staff also see what its schools hold.
        staff_orgs |= set(Organisation.objects.filter(parent_id__in=staff_orgs).values_list("id", flat=True))

    funder_orgs = orgs_by_role.get(Role.FUNDER, set())
    funded = frozenset(_programme_ids(funder_orgs, "funded_programmes")) if funder_orgs else frozenset()
    return AccessScope(
        user_id=user.pk,
        roles=roles,
        programme_roles={pid: frozenset(r) for pid, r in programme_roles.items()},
        custodian_org_ids=frozenset(staff_orgs),
        donor_org_ids=frozenset(orgs_by_role.get(Role.DONOR_CONTACT, set())),
        funded_programme_ids=funded,
        member_org_ids=frozenset(org_id for org_id, _ in memberships),
    )
