"""Reading schools and GIAS imports, always through the reader's scope (people.access)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from devicebank.people.access import scope_for
from devicebank.recipients.models import School, SchoolImport, SchoolQuerySet
from devicebank.recipients.permissions import can_import_schools, can_see_all_schools


def school_list(*, user: Any, query: str = "") -> SchoolQuerySet:
    """The schools this person may see: all of them for those who work in a programme; else their own (a school's
    staff) or those they run (a responsible body's staff); none for anyone else."""
    scope = scope_for(user)
    schools: SchoolQuerySet = School.objects.select_related("organisation", "local_authority")
    if not can_see_all_schools.anywhere(scope):
        own = scope.member_org_ids | scope.custodian_org_ids
        schools = schools.filter(organisation_id__in=own) if own else schools.none()
    text = query.strip()
    if text:
        match = Q(organisation__name__icontains=text) | Q(organisation__postcode__iexact=text)
        if text.isdigit():
            match |= Q(urn=int(text)) if len(text) <= 8 else Q()
        schools = schools.filter(match)
    return schools


def school_get(*, user: Any, urn: int) -> School:
    """One school by URN within the reader's scope; a URN they may not see is answered as not found."""
    school = school_list(user=user).filter(urn=urn).first()
    if school is None:
        raise Http404("No school with that URN.")
    return school


def school_import_list(*, user: Any) -> Any:
    if not can_import_schools.anywhere(scope_for(user)):
        return SchoolImport.objects.none()
    return SchoolImport.objects.defer("file_bytes").select_related("created_by")


def school_import_get(*, user: Any, pk: int) -> SchoolImport:
    imp = school_import_list(user=user).filter(pk=pk).first()
    if imp is None:
        raise Http404("No such import.")
    return imp
