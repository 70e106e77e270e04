"""Errors the allocation engine raises, in the project's DomainError family."""

from __future__ import annotations

from devicebank.core.errors import Conflict, DomainError


class AllocationInputError(DomainError, ValueError):
    """The engine was given inputs it cannot allocate from (a negative count, an unknown class, ...).

    It is also a ValueError, so callers outside the domain layer can catch it as one. `field` names the input
    that is wrong, e.g. ``stock[3].count`` or ``requests[R-12].weight``.
    """

    code = "invalid_allocation_input"


class StalePreview(Conflict):
    """The stock, requests or rules changed after a preview was made: the preview must not be applied."""

    code = "stale_preview"
