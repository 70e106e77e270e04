"""Refurbishment services: every write of the workbench, one module per subdomain. Keyword-only; each locks the
device (or part) it changes, checks the rule and the role, writes its records and one event per change, in one
transaction.

`by=None` is the system (demo seed, factories): no role checks, as in devices.services.
Secrets are encrypted (core.crypto, in `device_secrets`) and never logged, evented or put in an error message.

Callers import from `devicebank.refurbishment.services`; the modules below are how the code is kept, not an API:
`specifications`, `grading` (bench tests and grades), `installs`, `device_secrets`, `parts`, `repairs`,
`decisions` (repair or recycle), `recycling`, `finishing` (into `ready`), `bulk`.
"""

from devicebank.refurbishment.services._common import MAX_BYTES, MAX_MINUTES, MAX_MONEY
from devicebank.refurbishment.services.bulk import BulkAction, BulkOutcome, refurbishment_bulk_apply
from devicebank.refurbishment.services.decisions import (
    DECIDABLE_STATES,
    Estimate,
    decision_estimate,
    decision_record,
)
from devicebank.refurbishment.services.device_secrets import (
    PASSWORD_KINDS,
    device_secret_record,
    device_secret_reveal,
)
from devicebank.refurbishment.services.finishing import device_mark_ready
from devicebank.refurbishment.services.grading import ItemInput, device_tests_record, grade_record
from devicebank.refurbishment.services.installs import KEYED_CHANNELS, os_install_record
from devicebank.refurbishment.services.parts import part_adjust, part_create, parts_harvest
from devicebank.refurbishment.services.recycling import device_recycle
from devicebank.refurbishment.services.repairs import repair_record
from devicebank.refurbishment.services.specifications import SpecificationValues, specification_save

__all__ = [
    "DECIDABLE_STATES",
    "KEYED_CHANNELS",
    "MAX_BYTES",
    "MAX_MINUTES",
    "MAX_MONEY",
    "PASSWORD_KINDS",
    "BulkAction",
    "BulkOutcome",
    "Estimate",
    "ItemInput",
    "SpecificationValues",
    "decision_estimate",
    "decision_record",
    "device_mark_ready",
    "device_recycle",
    "device_secret_record",
    "device_secret_reveal",
    "device_tests_record",
    "grade_record",
    "os_install_record",
    "part_adjust",
    "part_create",
    "parts_harvest",
    "refurbishment_bulk_apply",
    "repair_record",
    "specification_save",
]
