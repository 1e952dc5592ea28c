"""ADMIN_URL moves the staff admin; the default stays /admin/ (with a redirect from /admin)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

RESOLVE = (
    "import django; django.setup(); from django.conf import settings; "
    "from django.urls import reverse; print(settings.ADMIN_URL, reverse('admin:index'), "
    "reverse('admin:inventory_product_changelist'))"
)


def boot(**env_vars):
    env = {key: value for key, value in os.environ.items() if key != "ADMIN_URL"}
    env.update(DJANGO_SETTINGS_MODULE="webstore.settings", DEBUG="true", **env_vars)
    return subprocess.run(
        [sys.executable, "-c", RESOLVE],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "admin/ /admin/ /admin/inventory/product/"),
        ("back-office/", "back-office/ /back-office/ /back-office/inventory/product/"),
        ("/staff/desk", "staff/desk/ /staff/desk/ /staff/desk/inventory/product/"),
    ],
)
def test_admin_url_comes_from_the_environment(value, expected):
    result = boot(**({} if value is None else {"ADMIN_URL": value}))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_an_empty_admin_url_is_refused():
    result = boot(ADMIN_URL="/")
    assert result.returncode != 0
    assert "ADMIN_URL must name a path" in result.stderr


def test_default_admin_path_and_its_redirect(client):
    response = client.get("/admin")
    assert (response.status_code, response["Location"]) == (301, "/admin/")
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")
