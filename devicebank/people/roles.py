"""Roles a user holds in an organisation, and what each role is for."""

from django.db import models


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", "Platform admin"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    TECHNICIAN = "technician", "Technician"
    WAREHOUSE = "warehouse", "Warehouse and dispatch"
    DONOR_CONTACT = "donor_contact", "Donor contact"
    ORGANISATION_STAFF = "organisation_staff", "School or organisation staff"
    REFERRER = "referrer", "Referrer"
    FUNDER = "funder", "Funder (reporting)"


class OrganisationKind(models.TextChoices):
    PLATFORM = "platform", "Platform operator"
    PROGRAMME_OWNER = "programme_owner", "Programme owner (council)"
    REFURBISHER = "refurbisher", "Refurbisher"
    DONOR = "donor", "Donor"
    SCHOOL = "school", "School"
    RESPONSIBLE_BODY = "responsible_body", "Responsible body (local authority or trust)"
    COMMUNITY_ORGANISATION = "community_organisation", "Community organisation"
    REFERRER = "referrer", "Referrer"
    FUNDER = "funder", "Funder"


# Roles whose people work on devices in a programme (see people.access).
OPERATIONAL_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.TECHNICIAN, Role.WAREHOUSE})
