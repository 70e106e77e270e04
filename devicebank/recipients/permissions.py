"""Who may do what with recipients. Read access goes through `recipients.selectors`, built on people.access.

- Import schools from GIAS (upload, check, import; see past imports): programme managers and platform admins.
  GIAS is national public data, so the right is not tied to one programme.
- See schools: everyone who works in a programme (operational roles) and platform admins see every school;
  a school's own staff see their school, and a responsible body's staff the schools it runs.
"""

from __future__ import annotations

from devicebank.people.access import AccessScope
from devicebank.people.roles import Role


def can_import_schools(scope: AccessScope) -> bool:
    if scope.is_platform_admin:
        return True
    return any(Role.PROGRAMME_MANAGER in roles for roles in scope.programme_roles.values())


def can_see_all_schools(scope: AccessScope) -> bool:
    return scope.is_platform_admin or bool(scope.programme_roles)


def can_see_schools_at_all(scope: AccessScope) -> bool:
    """Whether to offer the Schools section: those who see all schools, and school and organisation staff."""
    return can_see_all_schools(scope) or bool(scope.custodian_org_ids)
