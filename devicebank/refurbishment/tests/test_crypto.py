"""core.crypto: Fernet at rest, keys newest first (rotation), a key derived from SECRET_KEY when none is set."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from devicebank.core import crypto


def test_a_value_round_trips_and_is_never_stored_in_clear() -> None:
    token = crypto.encrypt("VK7JG-NPHTM-C97JM-9MPGT-3V66T")
    assert "3V66T" not in token
    assert crypto.decrypt(token) == "VK7JG-NPHTM-C97JM-9MPGT-3V66T"
    assert crypto.encrypt("same") != crypto.encrypt("same")  # a fresh IV each time


def test_without_keys_the_key_comes_from_secret_key() -> None:
    with override_settings(DEVICEBANK_ENCRYPTION_KEYS=[]):
        token = crypto.encrypt("x")
    other = override_settings(DEVICEBANK_ENCRYPTION_KEYS=[], SECRET_KEY="another-secret-key-" + "y" * 40)
    with other, pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(token)


def test_keys_rotate_newest_first() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(DEVICEBANK_ENCRYPTION_KEYS=[old]):
        token = crypto.encrypt("bios")
    with override_settings(DEVICEBANK_ENCRYPTION_KEYS=[new, old]):
        assert crypto.decrypt(token) == "bios"
        rotated = crypto.rotate(token)
    with override_settings(DEVICEBANK_ENCRYPTION_KEYS=[new]):
        assert crypto.decrypt(rotated) == "bios"
        with pytest.raises(crypto.DecryptionFailed):
            crypto.decrypt(token)


def test_a_malformed_key_is_a_configuration_error_that_does_not_echo_the_key() -> None:
    bad = override_settings(DEVICEBANK_ENCRYPTION_KEYS=["not-a-fernet-key"])
    with bad, pytest.raises(ImproperlyConfigured) as error:
        crypto.encrypt("x")
    assert "not-a-fernet-key" not in str(error.value)
