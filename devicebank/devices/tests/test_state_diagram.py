"""The state diagram in docs/ is the code's map, not a picture that drifts."""

from __future__ import annotations

import re
from pathlib import Path

from devicebank.devices.states import TRANSITIONS

DOC = Path(__file__).resolve().parents[3] / "docs" / "state-diagram.md"


def test_the_drawn_moves_are_exactly_the_allowed_moves() -> None:
    text = DOC.read_text(encoding="utf-8")
    drawn = set(re.findall(r"^\s+([a-z_]+) --> ([a-z_]+)\s*$", text, flags=re.MULTILINE))
    allowed = {(source.value, target.value) for source, targets in TRANSITIONS.items() for target in targets}
    assert drawn == allowed
