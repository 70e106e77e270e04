"""Certificates of sanitisation: the facts (NIST SP 800-88 Rev. 1 Appendix G), their SHA-256, and the PDF.

A certificate states facts about one device (every drive and what was done to it) or a donation (every device).
The facts are stored as JSON; `content_sha256` is the SHA-256 of their canonical JSON, printed on the PDF and
shown on the public verification page, so anyone holding the PDF can check it against devicebank.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from devicebank.devices.models import Device
from devicebank.sanitisation.models import (
    Certificate,
    DriveDestruction,
    DriveErasure,
    SanitisationBasis,
    SanitisationOutcome,
)


def canonical_sha256(facts: dict[str, Any]) -> str:
    text = json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify_url(code: str) -> str:
    """The public page of a certificate, by its verification code (never its sequential number)."""
    return settings.SITE_URL + reverse("verify", args=[code])


def _drive_facts(record: DriveErasure | DriveDestruction) -> dict[str, Any]:
    if isinstance(record, DriveDestruction):
        return {
            "manufacturer_model": record.drive_model,
            "serial_number": record.drive_serial,
            "media_type": "",
            "sanitization_description": "Destroy",
            "method": record.get_method_display(),
            "tool": record.destroyed_by,
            "verification": "Visual inspection of the destroyed drive",
            "result": "Destroyed",
            "date": record.destroyed_on.isoformat(),
            "third_party_certificate": record.certificate_number,
        }
    verification = {
        "none": "None",
        "last": "Full read-back of the last pass",
        "all": "Full read-back of every pass",
    }
    return {
        "manufacturer_model": record.drive_model,
        "serial_number": record.drive_serial or record.serial_supplied,
        # Only when the serial above was typed by a person at review, not read from the tool's log.
        **(
            {"serial_supplied_by": "a person, at review"}
            if record.serial_supplied and not record.drive_serial
            else {}
        ),
        "media_type": record.media_type.upper() if record.media_type else "",
        "size_bytes": record.size_bytes,
        "sanitization_description": (record.nist_level or "clear").capitalize(),
        "method": f"{record.get_technique_display()}: {record.method}"
        + (f", {record.passes} passes" if record.passes else ""),
        "tool": f"{record.tool} {record.tool_version}".strip(),
        "verification": verification.get(record.verification, record.verification),
        "result": record.get_result_display(),
        "date": (record.finished_at or record.recorded_at).isoformat(),
    }


def device_facts(device: Device, outcome: SanitisationOutcome, evidence: Any) -> dict[str, Any]:
    """What a device certificate states. `evidence` is the PassEvidence the outcome was based on."""
    counting = [e for e in evidence.erasures if e.counts(require_verified=evidence.require_verified)]
    site = next((e.site for e in counting if e.site_id), None) or device.location
    organisation = site.organisation.name if site else (device.custodian.name if device.custodian else "")
    return {
        "device": {
            "asset_tag": device.asset_tag,
            "manufacturer": device.manufacturer,
            "model": device.model,
            "serial_number": device.serial_number or "",
            "type": device.get_device_type_display(),
            "media_source": f"Donated by {device.donor.name}" if device.donor_id and device.donor else "",
        },
        "programme": device.programme.name,
        "outcome": {
            "basis": SanitisationBasis(outcome.basis).label,
            "nist_level": outcome.level.capitalize() if outcome.level else "Not applicable (no storage)",
            "recorded_at": outcome.recorded_at.isoformat(),
        },
        "drives": [_drive_facts(e) for e in counting] + [_drive_facts(d) for d in evidence.destructions],
        "no_storage": [a.reason for a in evidence.attestations],
        "post_sanitisation_destination": "Reuse through the programme (refurbished and passed to a recipient)",
        "sanitised_by": {
            "name": outcome.recorded_by.get_full_name() if outcome.recorded_by else "devicebank",
            "organisation": organisation,
            "location": site.name if site else "",
        },
    }


def donation_facts(donation: Any, device_certificates: Sequence[Certificate], pending: int) -> dict[str, Any]:
    return {
        "donation": {
            "reference": donation.reference,
            "donor": donation.donor.name,
            "programme": donation.programme.name,
        },
        "devices": [
            {
                "certificate": c.number,
                "asset_tag": c.facts["device"]["asset_tag"],
                "manufacturer": c.facts["device"]["manufacturer"],
                "model": c.facts["device"]["model"],
                "serial_number": c.facts["device"]["serial_number"],
                "nist_level": c.facts["outcome"]["nist_level"],
                "drives": c.facts["drives"],
                "no_storage": c.facts.get("no_storage", []),
            }
            for c in device_certificates
        ],
        "devices_not_yet_sanitised": pending,
    }


def next_number() -> str:
    """SC-2026-000123: the year and a running number (unique in the table)."""
    year = timezone.now().year
    last = (
        Certificate.objects.filter(number__startswith=f"SC-{year}-")
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"SC-{year}-{(int(last.rsplit('-', 1)[1]) + 1 if last else 1):06d}"


def _qr(code: str) -> str:
    # A PNG, not SVG: WeasyPrint draws an SVG QR as hundreds of paths, which made a 1,000-device donation
    # take minutes. 6 px modules at the 30 mm printed size scan easily.
    return segno.make(verify_url(code), error="m", micro=False).png_data_uri(scale=6, border=4)


def _html(certificates: Sequence[dict[str, Any]]) -> str:
    return render_to_string("sanitisation/certificate_pdf.html", {"certificates": certificates})


def page_context(
    number: str, code: str, kind: str, facts: dict[str, Any], sha: str, issued_at: Any
) -> dict[str, Any]:
    return {
        "number": number,
        "verification_code": code,
        "kind": kind,
        "facts": facts,
        "sha256": sha,
        "issued_at": issued_at,
        "qr": _qr(code),
        "verify_url": verify_url(code),
    }


STYLES = Path(__file__).with_name("certificate.css")


def _stylesheets() -> list[Any]:
    from weasyprint import CSS

    return [CSS(filename=str(STYLES))]


def render_pdf(pages: Sequence[dict[str, Any]]) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=_html(pages), url_fetcher=_fetcher()).write_pdf(stylesheets=_stylesheets()))


def render_each(pages: Sequence[dict[str, Any]]) -> list[bytes]:
    """One PDF per certificate, from a single layout pass (much faster than one document each)."""
    from weasyprint import HTML

    document = HTML(string=_html(pages), url_fetcher=_fetcher()).render(stylesheets=_stylesheets())
    groups: dict[str, list[Any]] = {}
    current = None
    for page in document.pages:
        starts = [anchor for anchor in page.anchors if anchor.startswith("cert-")]
        if starts:
            current = starts[0]
        groups.setdefault(current or "", []).append(page)
    return [bytes(document.copy(groups[f"cert-{page['number']}"]).write_pdf()) for page in pages]


def _fetcher() -> Any:
    """Certificates load nothing from outside: only the inline QR code (data: URI) is allowed."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
