"""Loading the ChromeOS Flex certified-models list, and matching devices to it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from devicebank.conftest import World
from devicebank.devices.services import device_update_details
from devicebank.devices.states import DeviceState
from devicebank.refurbishment.models import ChromeOSFlexModel
from devicebank.refurbishment.selectors import readiness
from devicebank.refurbishment.tests.conftest import bench_laptop

CSV = (
    "Model,Status,Certified since version,Year\n"
    "Dell Latitude E7470,Certified,103,2027\n"
    "HP ProBook 450 G5,Certified,103,2028\n"
    "Dell Latitude E6410,Decertified,103,2023\n"
    '"Apple MacBook Air 6,1",Minor issues expected,,2026\n'
)


def test_the_list_loads_and_loading_again_changes_nothing(tmp_path: Path, db: None) -> None:
    path = tmp_path / "models.csv"
    path.write_text(CSV)
    call_command("load-flex-models", str(path))
    call_command("load-flex-models", str(path))
    assert ChromeOSFlexModel.objects.count() == 4
    assert ChromeOSFlexModel.objects.get(key="apple macbook air 6 1").status == "minor_issues"


def test_a_file_that_is_not_the_list_is_refused(tmp_path: Path, db: None) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Serial,Make\n1,Dell\n")
    with pytest.raises(CommandError, match="Model and Status"):
        call_command("load-flex-models", str(path))


def test_a_device_whose_model_repeats_its_maker_still_matches(world: World, tmp_path: Path) -> None:
    path = tmp_path / "models.csv"
    path.write_text(CSV)
    call_command("load-flex-models", str(path))
    device = bench_laptop(world, state=DeviceState.SANITISED)
    device = device_update_details(
        device=device, by=None, changes={"manufacturer": "HP", "model": "HP ProBook 450 G5"}
    )
    answer = readiness(device).evaluation.os_eligibility["chromeos_flex"]
    assert answer.ok is True
    assert "HP ProBook 450 G5 is certified until 2028" in answer.reason
