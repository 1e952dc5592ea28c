"""Production refuses to start without its secrets; development runs with none."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

BOOT = "import django; django.setup(); from django.conf import settings; print(settings.{})"


def boot(setting="WEBHOOK_SECRET", **env_vars):
    """Starts Django in a fresh process with only `env_vars` deciding; prints `setting`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "WEBHOOK_SECRET", "DEBUG")
    }
    env.update(DJANGO_SETTINGS_MODULE="webstore.settings", **env_vars)
    return subprocess.run(
        [sys.executable, "-c", BOOT.format(setting)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    "env_vars, missing",
    [
        ({"DEBUG": "false", "WEBHOOK_SECRET": "w"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "s"}, "WEBHOOK_SECRET"),
    ],
)
def test_production_refuses_to_start_without_a_secret(env_vars, missing):
    result = boot(**env_vars)
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_development_uses_the_documented_webhook_default():
    result = boot(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "default-secret-change-in-production"


def test_database_is_configured_for_concurrency_and_outages():
    database = settings.DATABASES["default"]
    options = database["OPTIONS"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        assert options["transaction_mode"] == "IMMEDIATE"
        assert options["timeout"] >= 5
        assert "journal_mode=WAL" in options["init_command"]
    else:
        assert database["ENGINE"] == "django.db.backends.postgresql"
        assert 0 < options["connect_timeout"] <= 10


def test_connection_health_checks_are_off_unless_asked_for():
    runs = {
        value: boot('DATABASES["default"]["CONN_HEALTH_CHECKS"]', DEBUG="true", **env)
        for value, env in {"unset": {}, "true": {"DB_HEALTH_CHECKS": "true"}}.items()
    }
    assert {value: run.stdout.strip() for value, run in runs.items()} == {
        "unset": "False",
        "true": "True",
    }


def test_metrics_token_is_a_comma_separated_list_and_blank_means_open():
    runs = {
        value: boot("METRICS_TOKENS", DEBUG="true", METRICS_TOKEN=value)
        for value in ("", "one", " one , two ,")
    }
    assert {value: run.stdout.strip() for value, run in runs.items()} == {
        "": "[]",
        "one": "['one']",
        " one , two ,": "['one', 'two']",
    }
