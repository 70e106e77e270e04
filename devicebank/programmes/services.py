"""Programme services."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from devicebank.programmes.models import Programme


def format_asset_tag(prefix: str, number: int) -> str:
    """BNT-000042: short, unambiguous on a label, sortable within a programme."""
    return f"{prefix}-{number:06d}"


@transaction.atomic
def programme_allocate_asset_numbers(*, programme: Programme, count: int) -> range:
    """Reserve `count` consecutive asset numbers; safe under concurrency because the row is locked."""
    if count < 1:
        raise ValueError("count must be at least 1")
    locked = Programme.objects.select_for_update().only("id", "next_asset_number").get(pk=programme.pk)
    first = locked.next_asset_number
    Programme.objects.filter(pk=programme.pk).update(next_asset_number=F("next_asset_number") + count)
    return range(first, first + count)
