"""Pagination for pages that may list a million rows."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: an exact COUNT(*) over a million devices costs more than the page itself,
    and nobody pages past the first few hundred; they filter instead. `count_capped` says when the total is
    "more than" the count."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        return int(self.object_list[: self.cap + 1].count())  # type: ignore[attr-defined]

    @property
    def count_capped(self) -> bool:
        return self.count > self.cap
