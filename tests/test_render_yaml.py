"""render.yaml is a deployable Render Blueprint: the keys Render requires, wired the way the
settings need them, and commands that exist in this repository."""

import os
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

PROJECT_DIR = Path(__file__).resolve().parent.parent
BLUEPRINT = yaml.safe_load((PROJECT_DIR / "render.yaml").read_text())
ROOT_KEYS = {"services", "databases", "envVarGroups", "previews", "projects", "ungrouped"}
ENV_SOURCES = {"value", "generateValue", "sync", "fromDatabase", "fromService", "fromGroup"}


def web_service() -> dict:
    (service,) = [s for s in BLUEPRINT["services"] if s["type"] == "web"]
    return service


def env_vars() -> dict[str, dict]:
    return {var["key"]: var for var in web_service()["envVars"]}


def test_root_keys_are_blueprint_keys():
    assert set(BLUEPRINT) <= ROOT_KEYS
    assert BLUEPRINT["services"] and BLUEPRINT["databases"]


def test_web_service_has_the_fields_render_requires():
    service = web_service()
    assert {"type", "name", "runtime", "buildCommand", "startCommand"} <= set(service)
    assert service["runtime"] == "python"
    assert service["healthCheckPath"] == "/health"


def test_health_check_path_answers(client):
    response = client.get(web_service()["healthCheckPath"])
    assert (response.status_code, response.json()) == (200, {"status": "healthy"})


def commands(field: str) -> list[list[str]]:
    return [shlex.split(part) for part in web_service()[field].split("&&")]


@pytest.mark.parametrize("field", ["buildCommand", "preDeployCommand", "startCommand"])
def test_commands_exist_in_the_repository(field):
    requirements = (PROJECT_DIR / "requirements.txt").read_text().lower()
    for argv in commands(field):
        if argv[:2] == ["pip", "install"]:
            assert argv[2] == "-r" and (PROJECT_DIR / argv[3]).is_file()
        elif argv[:2] == ["python", "manage.py"]:
            assert (PROJECT_DIR / "manage.py").is_file() and argv[2] in get_commands()
        elif argv[0] == "gunicorn":
            assert "gunicorn==" in requirements
            assert argv[1] == "--config" and (PROJECT_DIR / argv[2]).is_file()
        else:
            pytest.fail(f"{field}: unexpected command {argv}")


def test_build_collects_static_and_deploy_migrates_before_start():
    assert ["python", "manage.py", "collectstatic", "--noinput"] in commands("buildCommand")
    assert commands("preDeployCommand") == [["python", "manage.py", "migrate", "--noinput"]]


def test_gunicorn_binds_render_port(monkeypatch):
    monkeypatch.setenv("PORT", "10000")
    config = runpy.run_path(str(PROJECT_DIR / commands("startCommand")[0][2]))
    assert config["bind"] == "0.0.0.0:10000"
    assert config["wsgi_app"] == "webstore.wsgi:application"


def test_gunicorn_worker_count_is_set_for_the_plan(monkeypatch):
    # A CPU quota does not narrow the affinity mask gunicorn.conf.py would count otherwise.
    assert web_service()["plan"] == "starter"
    monkeypatch.setenv("WEB_CONCURRENCY", env_vars()["WEB_CONCURRENCY"]["value"])
    config = runpy.run_path(str(PROJECT_DIR / commands("startCommand")[0][2]))
    assert (config["workers"], config["threads"]) == (1, 2)


def test_every_env_var_has_exactly_one_source():
    for key, var in env_vars().items():
        assert len(ENV_SOURCES & set(var)) == 1, key


def test_env_wires_the_database_and_the_production_secrets():
    env = env_vars()
    database_names = {db["name"] for db in BLUEPRINT["databases"]}
    assert env["DATABASE_URL"]["fromDatabase"]["name"] in database_names
    assert env["DATABASE_URL"]["fromDatabase"]["property"] == "connectionString"
    assert env["SECRET_KEY"] == {"key": "SECRET_KEY", "generateValue": True}
    assert env["WEBHOOK_SECRET"] == {"key": "WEBHOOK_SECRET", "sync": False}
    assert env["DEBUG"]["value"] == "false"


def test_settings_trust_the_render_host():
    """With the environment Render gives the service, settings load and trust its public host."""
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "render-generated",
        "WEBHOOK_SECRET": "dashboard-secret",
        "RENDER_EXTERNAL_HOSTNAME": "shop.onrender.com",
        "DJANGO_SETTINGS_MODULE": "webstore.settings",
    }
    environment.pop("ALLOWED_HOSTS", None)
    environment.pop("CSRF_TRUSTED_ORIGINS", None)
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ALLOWED_HOSTS[-1], settings.CSRF_TRUSTED_ORIGINS[-1])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["shop.onrender.com", "https://shop.onrender.com"]


def test_metrics_are_not_public_on_render():
    assert env_vars()["METRICS_TOKEN"] == {"key": "METRICS_TOKEN", "generateValue": True}
