"""Who may do what with recipients. Read access goes through `recipients.selectors`, built on people.access.

- Import schools from GIAS (upload, check, import; see past imports): programme managers and platform admins.
  GIAS is national public data, so the right is not tied to one programme.
- See schools: everyone who works in a programme (operational roles) and platform admins see every school;
  a school's own staff see their school, and a responsible body's staff the schools it runs.
"""

from __future__ import annotations

from devicebank.people.access import AccessScope
from devicebank.people.capabilities import Capability
from devicebank.people.roles import OPERATIONAL_ROLES, Role

# Neither is tied to one programme (GIAS is national public data): asked with `.anywhere(scope)`,
# `.require_anywhere(scope)` and, in the API, `.api_anywhere`.
can_import_schools = Capability("import schools", roles={Role.PROGRAMME_MANAGER})
can_see_all_schools = Capability("see every school", roles=OPERATIONAL_ROLES)


def can_see_schools_at_all(scope: AccessScope) -> bool:
    """Whether to offer the Schools section: those who see all schools, and school and organisation staff."""
    return can_see_all_schools.anywhere(scope) or bool(scope.custodian_org_ids)
