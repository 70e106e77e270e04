"""The allocation engine: pure Python (no Django models), typed, deterministic.

    problem = Problem(stock=(DeviceClass(...), ...), requests=(Request(...), ...), quotas=(Quota(...), ...))
    allocation = allocate(problem)            # a preview: matches, outcomes, explanations, fingerprints
    ensure_current(allocation, problem_now)   # refuse a stale preview
    assign_devices(allocation.matches, problem_now.stock,
                   expected_stock_fingerprint=allocation.stock_fingerprint)

See docs/allocation.md and docs/adr/0003-allocation-solver.md.
"""

from devicebank.allocation.engine.check import Line, Score, Violation, check_allocation, score
from devicebank.allocation.engine.devices import DeviceAssignment, assign_devices
from devicebank.allocation.engine.errors import AllocationInputError, StalePreview
from devicebank.allocation.engine.fingerprint import ensure_current, problem_fingerprint, stock_fingerprint
from devicebank.allocation.engine.inputs import (
    DEFAULT_BANDS,
    Band,
    DeviceClass,
    Distance,
    FairnessRule,
    PlaceRule,
    Problem,
    Quota,
    Request,
    validate,
)
from devicebank.allocation.engine.model import PlaceReason
from devicebank.allocation.engine.results import (
    Allocation,
    BandUse,
    Match,
    RequestOutcome,
    Shortfall,
    ShortfallReason,
)
from devicebank.allocation.engine.solve import allocate

__all__ = [
    "DEFAULT_BANDS",
    "Allocation",
    "AllocationInputError",
    "Band",
    "BandUse",
    "DeviceAssignment",
    "DeviceClass",
    "Distance",
    "FairnessRule",
    "Line",
    "Match",
    "PlaceReason",
    "PlaceRule",
    "Problem",
    "Quota",
    "Request",
    "RequestOutcome",
    "Score",
    "Shortfall",
    "ShortfallReason",
    "StalePreview",
    "Violation",
    "allocate",
    "assign_devices",
    "check_allocation",
    "ensure_current",
    "problem_fingerprint",
    "score",
    "stock_fingerprint",
    "validate",
]
