"""A report's warnings that say "set it by hand" link to the device's correction form."""

from __future__ import annotations

from pathlib import Path

from django.test import Client

from devicebank.conftest import World
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import make_device
from devicebank.hardware.models import HardwareReport
from devicebank.hardware.services import hardware_report_ingest

T480 = Path(__file__).parent / "fixtures" / "thinkpad-t480-nvme-usb-stick.lshw.json"


def test_a_set_it_by_hand_warning_links_to_the_correction_form_for_those_who_may_correct(
    world: World,
) -> None:
    device = make_device(
        programme=world.programme,
        location=world.warehouse,
        state=DeviceState.RECEIVED,
        manufacturer="Lenovo",
        model="ThinkPad T480",
        serial="PF1HXK2Q",
    )
    result = hardware_report_ingest(data=T480.read_bytes(), file_name="t480.json", by=None, device=device)
    report = HardwareReport.objects.get(pk=result.report.pk)  # type: ignore[union-attr]
    report.warnings = [*report.warnings, "The system model is 'System Product Name': set it by hand."]
    report.save(update_fields=["warnings"])
    link = f'href="/devices/{device.asset_tag}/details/"'

    def page(persona: str) -> str:
        client = Client()
        client.force_login(world.user(persona))
        response = client.get(f"/hardware/reports/{report.pk}/")
        assert response.status_code == 200
        return response.content.decode()

    assert page("technician").count(link) == 1
    assert link not in page("warehouse")  # may see the report, may not correct the device
