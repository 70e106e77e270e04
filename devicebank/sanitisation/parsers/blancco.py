"""Blancco erasure reports: recognised, so the person uploading one is told plainly, but not read yet.

Blancco Drive Eraser writes XML (`root/report/blancco_data/...`, values in `<entry name=... type=...>`) and its
Management Portal API returns the same tree as JSON (`reports[0].blancco_data...`); see DOMAIN.md section 1. A
real parser replaces `parse` here; the registry and everything after it stay as they are.
"""

from __future__ import annotations

import re
from typing import Final

from devicebank.sanitisation.parsers.report import ErasureReport, ErasureReportError

_STRUCTURE: Final = re.compile(
    rb"blancco_(?:data|erasure_report|hardware_report|software_report)", re.IGNORECASE
)
_PRODUCT: Final = re.compile(rb"Blancco", re.IGNORECASE)


class BlanccoParser:
    """Recognises Blancco XML and JSON reports and says they are not supported yet."""

    name = "Blancco report"

    def sniff(self, data: bytes) -> bool:
        head = data[:262144]
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if start not in (b"<", b"{", b"["):
            return False
        # The tree's element names are the sure sign; the product name near the top catches other exports.
        return bool(_STRUCTURE.search(head) or _PRODUCT.search(head[:4096]))

    def parse(self, data: bytes) -> ErasureReport:
        raise ErasureReportError(
            "this is a Blancco erasure report: Blancco reports are recognised but not yet supported, so record "
            "this erasure by hand (attach the report) until the Blancco importer is written"
        )
