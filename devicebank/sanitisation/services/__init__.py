"""Sanitisation services: per-drive evidence, the rule that decides a device is sanitised, the outcome, imported
reports and certificates. Callers import from `devicebank.sanitisation.services`; the modules are how the code is
kept: `rule` (the rule over a pass's evidence, docs/sanitisation.md), `records` (erasures, reviews, destructions,
"no storage"), `outcome` (into `sanitised`), `importing` (erasure reports), `issuing` (certificates).
"""

from devicebank.sanitisation.services.importing import (
    ErasureImportResult,
    erasure_report_import,
    evidence_bytes,
)
from devicebank.sanitisation.services.issuing import (
    certificate_batch_run,
    certificate_batch_start,
    certificate_issue_for_device,
)
from devicebank.sanitisation.services.outcome import sanitisation_record_outcome
from devicebank.sanitisation.services.records import (
    drive_destruction_record,
    drive_erasure_record,
    drive_erasure_review,
    ensure_can_sanitise,
    no_storage_attest,
)
from devicebank.sanitisation.services.rule import MOBILE_TYPES, PassEvidence, pass_evidence, pass_started_at

__all__ = [
    "MOBILE_TYPES",
    "ErasureImportResult",
    "PassEvidence",
    "certificate_batch_run",
    "certificate_batch_start",
    "certificate_issue_for_device",
    "drive_destruction_record",
    "drive_erasure_record",
    "drive_erasure_review",
    "ensure_can_sanitise",
    "erasure_report_import",
    "evidence_bytes",
    "no_storage_attest",
    "pass_evidence",
    "pass_started_at",
    "sanitisation_record_outcome",
]
