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


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    done = _run(
        {
            "SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
            "ALLOWED_HOSTS": "devices.example.org",
            "DEVICEBANK_VAR_DIR": str(tmp_path),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


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
