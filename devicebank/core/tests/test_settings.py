"""Production settings are secure by default; `devicebank check --deploy` is clean with them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    unwanted = ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update({"DJANGO_SETTINGS_MODULE": "devicebank.settings", **env_extra})
    return subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "devicebank", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
    "ALLOWED_HOSTS": "devices.example.org",
    # A fixed, valid Fernet key: test data only.
    "ENCRYPTION_KEYS": "Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1rZXktMTI=",
}


def test_check_deploy_is_clean_under_production_settings_with_encryption_keys(tmp_path: Path) -> None:
    done = _run(
        {**PRODUCTION, "DEVICEBANK_VAR_DIR": str(tmp_path)}, "check", "--deploy", "--fail-level", "WARNING"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_fails_in_production_when_encryption_keys_are_empty(tmp_path: Path) -> None:
    settings = {k: v for k, v in PRODUCTION.items() if k != "ENCRYPTION_KEYS"}
    done = _run({**settings, "DEVICEBANK_VAR_DIR": str(tmp_path)}, "check", "--deploy")
    assert done.returncode != 0
    assert "devicebank.E001" in done.stderr
    assert "ENCRYPTION_KEYS is empty" in done.stderr


def test_check_deploy_names_a_malformed_key_by_position_without_echoing_it(tmp_path: Path) -> None:
    done = _run(
        {**PRODUCTION, "ENCRYPTION_KEYS": f"{PRODUCTION['ENCRYPTION_KEYS']},not-a-key-secretvalue"}
        | {"DEVICEBANK_VAR_DIR": str(tmp_path)},
        "check",
        "--deploy",
    )
    assert done.returncode != 0
    assert "devicebank.E002" in done.stderr
    assert "entry 2" in done.stderr
    assert "secretvalue" not in done.stderr + done.stdout


def test_development_may_derive_the_key_from_the_secret_key(tmp_path: Path) -> None:
    done = _run({"DEBUG": "1", "DEVICEBANK_VAR_DIR": str(tmp_path)}, "check", "--deploy")
    assert "devicebank.E001" not in done.stderr + done.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    done = _run({"DEVICEBANK_VAR_DIR": str(tmp_path)}, "check")
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr


def test_a_secret_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("from-a-file-" + "s" * 50)
    done = _run(
        {"SECRET_KEY_FILE": str(secret), "ALLOWED_HOSTS": "x.example", "DEVICEBANK_VAR_DIR": str(tmp_path)},
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "from-a-file-" + "s" * 50
