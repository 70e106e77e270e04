"""Test helpers for two-factor sign-in."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from devicebank.people.models import User
from devicebank.people.two_factor import (
    AUTHENTICATOR_NAME,
    authenticator_for,
    current_code,
    needs_second_factor,
)


def enrol(user: User) -> TOTPDevice:
    """The person's authenticator, set up (with a fresh random key) if they had none."""
    device = authenticator_for(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
    return device


def fresh_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet: waits for the next 30-second step when the current one is used."""
    device.refresh_from_db()
    while int((time.time() - device.t0) // device.step) <= device.last_t:
        time.sleep(0.5)
    return current_code(device.key)


def complete_second_factor(client: Client, user: Any) -> None:
    """Mark a test client's session as past the code step, as a person who typed a right code would be."""
    if not needs_second_factor(user) and authenticator_for(user) is None:
        return
    device = enrol(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
