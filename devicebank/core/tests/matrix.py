"""The permission matrix's machinery, shared by every app's `tests/matrix_cases.py`.

Each app lists its endpoints as `CASES` (one `Case` per URL name and method, with the status each persona must
get) in `devicebank/<app>/tests/matrix_cases.py`, and may define `prepare(world)` to add the records its rows
need (for example `world.certificate = ...`). core/tests/test_permission_matrix.py runs them all and fails on
any route without a row.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from devicebank.conftest import PERSONAS, World

OPERATORS = {"admin", "manager", "technician", "warehouse"}
SEES_DEVICE = OPERATORS | {"donor"}  # world.device: ours, ready, donated by the donor
SEES_SCHOOL_DEVICE = OPERATORS | {"school", "trust"}  # world.school_device: with the school (trust's child)
# A funder opens a device page and timeline of a programme it funds (the public milestones), and lists nothing.
READS_DEVICE = SEES_DEVICE | {"funder"}
READS_SCHOOL_DEVICE = SEES_SCHOOL_DEVICE | {"funder"}
SEES_OTHER_DEVICE = {"admin", "outsider"}  # world.other_device: another council's programme
CAN_RESERVE = {"admin", "manager", "warehouse"}
CAN_CHANGE = OPERATORS
CAN_CORRECT = {"admin", "manager", "technician"}  # devices.permissions.can_correct_devices
CAN_REGISTER = {"admin", "manager", "warehouse", "technician", "outsider"}
SEES_PROGRAMME = OPERATORS | {"funder"}


@dataclass(frozen=True)
class Case:
    name: str  # the URL name this row covers
    method: str
    url: Callable[[World], str]
    expect: Callable[[str], int]  # persona -> status code
    data: Callable[[World], dict[str, Any]] | None = None
    json: bool = False


def _status(allowed: set[str], ok: int, otherwise: int) -> Callable[[str], int]:
    return lambda persona: ok if persona in allowed else otherwise


def _see_then(
    allowed_to_see: set[str], allowed_to_act: set[str], ok: int, refused: int
) -> Callable[[str], int]:
    def expect(persona: str) -> int:
        if persona not in allowed_to_see:
            return 404
        return ok if persona in allowed_to_act else refused

    return expect


def _tag(attr: str) -> Callable[[World], str]:
    return lambda w: getattr(w, attr).asset_tag


ALL = set(PERSONAS)


def _app_modules() -> list[Any]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("devicebank.") or config.name == "devicebank.core":
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.matrix_cases"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.matrix_cases":
                raise
    return modules


def app_cases() -> list[Case]:
    return [case for module in _app_modules() for case in getattr(module, "CASES", [])]


def app_preparers() -> list[Callable[[World], None]]:
    return [module.prepare for module in _app_modules() if hasattr(module, "prepare")]
