from __future__ import annotations

import factory

from devicebank.people.roles import OrganisationKind
from devicebank.people.tests.factories import OrganisationFactory
from devicebank.programmes.models import Programme


def _prefix(n: int) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "P" + letters[n // len(letters) % len(letters)] + letters[n % len(letters)]


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    owner = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.PROGRAMME_OWNER)
    asset_tag_prefix = factory.Sequence(_prefix)
