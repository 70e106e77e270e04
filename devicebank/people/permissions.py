"""Who may give and take away roles, and which roles where.

A platform admin may give any role but platform admin (that one only in the Django admin) at any active
organisation, each role only at the kinds of organisation it fits.

A programme manager may manage roles only where the access they give stays inside the programmes they manage:
- at their own organisation: programme manager (the organisation's programmes are all theirs);
- at a partner organisation that is a partner or funder of no programme they do not manage, and owns none:
  technician, warehouse or organisation staff, as fits its kind;
- at a funder organisation that, likewise, takes part in no programme they do not manage: funder.
An organisation that also works for another council's programme is left to that programme's managers and the
platform admins: a technician role there would open the other programme too.

Nobody removes their own programme manager role here (so no one locks their programme out by mistake).
"""

from __future__ import annotations

from collections import defaultdict

from devicebank.people.access import AccessScope
from devicebank.people.models import Membership, Organisation
from devicebank.people.roles import OrganisationKind as K
from devicebank.people.roles import Role

ROLES_BY_KIND: dict[str, frozenset[str]] = {
    K.PROGRAMME_OWNER: frozenset({Role.PROGRAMME_MANAGER}),
    K.REFURBISHER: frozenset({Role.TECHNICIAN, Role.WAREHOUSE}),
    K.DONOR: frozenset({Role.DONOR_CONTACT}),
    K.SCHOOL: frozenset({Role.ORGANISATION_STAFF}),
    K.RESPONSIBLE_BODY: frozenset({Role.ORGANISATION_STAFF}),
    K.COMMUNITY_ORGANISATION: frozenset({Role.ORGANISATION_STAFF}),
    K.REFERRER: frozenset({Role.REFERRER}),
    K.FUNDER: frozenset({Role.FUNDER}),
    K.PLATFORM: frozenset(),
}
PARTNER_ROLES = frozenset({Role.TECHNICIAN, Role.WAREHOUSE, Role.ORGANISATION_STAFF})


def can_manage_roles(scope: AccessScope) -> bool:
    """Whether the role-management page is for this person at all."""
    return scope.is_platform_admin or Role.PROGRAMME_MANAGER in scope.roles


def managed_programme_ids(scope: AccessScope) -> frozenset[int]:
    return frozenset(pid for pid, roles in scope.programme_roles.items() if Role.PROGRAMME_MANAGER in roles)


def roles_grantable(scope: AccessScope) -> dict[int, frozenset[str]]:
    """Organisation id -> the roles this person may give and take away there (empty: none)."""
    if scope.is_platform_admin:
        return {
            pk: ROLES_BY_KIND.get(kind, frozenset())
            for pk, kind in Organisation.objects.filter(is_active=True).values_list("pk", "kind")
            if ROLES_BY_KIND.get(kind)
        }
    if Role.PROGRAMME_MANAGER not in scope.roles:
        return {}
    mine = managed_programme_ids(scope)
    grantable: dict[int, set[str]] = defaultdict(set)
    own = Membership.objects.filter(
        user_id=scope.user_id or 0, role=Role.PROGRAMME_MANAGER, organisation__is_active=True
    ).values_list("organisation_id", flat=True)
    for org_id in own:
        grantable[org_id].add(Role.PROGRAMME_MANAGER)

    # Read through Organisation's reverse relations: people sits below programmes and never imports them.
    def links(relation: str, **where: object) -> set[tuple[int, int]]:
        rows = Organisation.objects.filter(**where).values_list("pk", relation)
        return {(org_id, pid) for org_id, pid in rows if pid is not None}

    candidate_partners = {o for o, _ in links("partner_programmes", partner_programmes__in=mine)}
    candidate_funders = {o for o, _ in links("funded_programmes", funded_programmes__in=mine)}
    candidates = candidate_partners | candidate_funders
    # Where else each candidate takes part: owning any programme, or a link to one outside `mine`, rules it out.
    elsewhere = {
        org_id
        for relation in ("partner_programmes", "funded_programmes", "owned_programmes")
        for org_id, pid in links(relation, pk__in=candidates)
        if relation == "owned_programmes" or pid not in mine
    }
    kinds = dict(
        Organisation.objects.filter(pk__in=candidates - elsewhere, is_active=True).values_list("pk", "kind")
    )
    for org_id, kind in kinds.items():
        fitting = ROLES_BY_KIND.get(kind, frozenset())
        if org_id in candidate_partners:
            grantable[org_id] |= fitting & PARTNER_ROLES
        if org_id in candidate_funders:
            grantable[org_id] |= fitting & {Role.FUNDER}
    return {org_id: frozenset(roles) for org_id, roles in grantable.items() if roles}


def can_revoke(scope: AccessScope, membership: Membership, grantable: dict[int, frozenset[str]]) -> bool:
    if membership.user_id == scope.user_id and membership.role == Role.PROGRAMME_MANAGER:
        return False
    return membership.role in grantable.get(membership.organisation_id, frozenset())
