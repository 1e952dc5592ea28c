"""Webhook settings: secrets required in production, blank lists refused, tolerance configurable."""

import os
import subprocess
import sys

from django.conf import settings

BOOT = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.WEBHOOK_TOLERANCE_SECONDS)"
)


def boot(**env_vars):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("WEBHOOK_SECRET", "WEBHOOK_TOLERANCE_SECONDS", "DEBUG")
    }
    env.update(DJANGO_SETTINGS_MODULE="webstore.settings", SECRET_KEY="s", **env_vars)
    return subprocess.run(
        [sys.executable, "-c", BOOT], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )


def test_production_refuses_a_secret_list_without_a_secret():
    result = boot(DEBUG="false", WEBHOOK_SECRET=" , ,")
    assert result.returncode != 0
    assert "WEBHOOK_SECRET must hold at least one non-blank secret." in result.stderr


def test_tolerance_defaults_to_five_minutes():
    result = boot(DEBUG="false", WEBHOOK_SECRET="a,b")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "300"
