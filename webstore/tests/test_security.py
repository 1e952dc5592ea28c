"""HTTPS, headers, cookies, CORS and admin lockout; `check --deploy` clean in production."""

import os
import secrets
import subprocess
import sys

import pytest
import yaml
from django.conf import settings as django_settings
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def render_production_env() -> dict[str, str]:
    """The web service's environment on Render: render.yaml's envVars with the values Render
    fills in (generated secrets, the database and key-value connection strings, the secret
    entered in the dashboard), plus the variables Render itself sets."""
    blueprint = yaml.safe_load((django_settings.BASE_DIR / "render.yaml").read_text())
    (web,) = [service for service in blueprint["services"] if service["type"] == "web"]
    filled_in = {
        "fromDatabase": "postgres://webstore:generated@dpg-render-a/webstore",
        "fromService": "redis://red-render:6379",
    }
    env = {"RENDER_EXTERNAL_HOSTNAME": "webstore.onrender.com", "PORT": "10000"}
    for var in web["envVars"]:
        if "value" in var:
            env[var["key"]] = var["value"]
        elif var.get("generateValue") or var.get("sync") is False:
            env[var["key"]] = secrets.token_urlsafe(50)
        else:
            (source,) = set(var) & set(filled_in)
            env[var["key"]] = filled_in[source]
    return env


# What render.yaml (or any TLS-terminating platform) sets in production.
PRODUCTION_ENV = render_production_env()


def manage(*args, **env_vars):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={"PATH": os.environ["PATH"], **env_vars},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_production_env_is_render_yamls():
    assert {
        key: PRODUCTION_ENV[key]
        for key in ("DEBUG", "SECURE_SSL_REDIRECT", "TRUST_X_FORWARDED_PROTO", "NUM_PROXIES")
    } == {
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "true",
        "TRUST_X_FORWARDED_PROTO": "true",
        "NUM_PROXIES": "1",
    }
    assert PRODUCTION_ENV["REDIS_URL"].startswith("redis://")
    assert PRODUCTION_ENV["DATABASE_URL"].startswith("postgres://")
    assert len(PRODUCTION_ENV["SECRET_KEY"]) >= 50


def test_check_deploy_is_clean_with_production_env():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_flags_a_missing_ssl_redirect():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECURE_SSL_REDIRECT"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


def test_https_responses_carry_hsts_and_security_headers(api_client):
    response = api_client.get("/products", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_cookies_are_secure_and_http_only_in_production():
    response = Client().get("/admin/login/", secure=True)
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert (
        django_settings.SESSION_COOKIE_SECURE,
        django_settings.SESSION_COOKIE_HTTPONLY,
        django_settings.CSRF_COOKIE_SECURE,
    ) == (True, True, True)


def test_ssl_redirect_behind_a_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = APIClient().get("/products")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/products"
    assert APIClient().get("/products", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    # The platform's health probe speaks plain http and must not be redirected.
    assert APIClient().get("/health").status_code == 200


def test_plain_http_is_served_by_default():
    assert APIClient().get("/products").status_code == 200


def test_api_requests_skip_the_admins_session_login_and_messages(api_client):
    api = api_client.get("/products", HTTP_COOKIE="sessionid=abc; messages=xyz")
    assert api.status_code == 200
    assert not api.cookies
    assert not any(hasattr(api.wsgi_request, name) for name in ("session", "_messages"))

    admin = Client().get("/admin/login/")
    assert admin.status_code == 200
    assert admin.wsgi_request.session.session_key is None
    assert admin.wsgi_request.user.is_anonymous
    assert hasattr(admin.wsgi_request, "_messages")


class TestCors:
    ORIGIN = "https://shop.example.com"

    def test_no_origin_is_allowed_by_default(self, api_client):
        response = api_client.get("/products", HTTP_ORIGIN=self.ORIGIN)
        assert response.status_code == 200
        assert "Access-Control-Allow-Origin" not in response

    def test_preflight_from_an_allowed_origin(self, settings, api_client):
        settings.CORS_ALLOWED_ORIGINS = [self.ORIGIN]
        response = api_client.options(
            "/products",
            HTTP_ORIGIN=self.ORIGIN,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, idempotency-key, if-match, x-api-key",
        )
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == self.ORIGIN
        allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
        assert {"authorization", "idempotency-key", "if-match", "x-api-key"} <= allowed
        assert "POST" in response["Access-Control-Allow-Methods"]

    def test_simple_request_exposes_our_headers(self, settings, api_client, product):
        settings.CORS_ALLOWED_ORIGINS = [self.ORIGIN]
        response = api_client.get(f"/products/{product.pk}", HTTP_ORIGIN=self.ORIGIN)
        assert response["Access-Control-Allow-Origin"] == self.ORIGIN
        exposed = {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
        assert {"ETag", "Link", "Retry-After"} <= exposed

    def test_responses_vary_by_origin_once_an_origin_is_allowed(self, settings, api_client):
        assert "Vary" not in api_client.get("/products")
        settings.CORS_ALLOWED_ORIGINS = [self.ORIGIN]
        assert api_client.get("/products")["Vary"] == "origin"

    def test_other_origins_and_the_admin_get_no_cors(self, settings, api_client):
        settings.CORS_ALLOWED_ORIGINS = [self.ORIGIN]
        other = api_client.get("/products", HTTP_ORIGIN="https://evil.example")
        assert "Access-Control-Allow-Origin" not in other
        admin = api_client.get("/admin/login/", HTTP_ORIGIN=self.ORIGIN)
        assert "Access-Control-Allow-Origin" not in admin


class TestAdminLockout:
    def login(self, password, ip="203.0.113.9"):
        return Client(REMOTE_ADDR=ip).post(
            "/admin/login/?next=/admin/", {"username": "staff", "password": password}
        )

    @pytest.fixture(autouse=True)
    def staff(self, settings, django_user_model):
        # A fast hasher: the lockout is under test, not the cost of PBKDF2.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        return django_user_model.objects.create_superuser("staff", "s@example.com", "right-pass-42")

    def test_correct_password_logs_in(self):
        response = self.login("right-pass-42")
        assert response.status_code == 302
        assert response["Location"] == "/admin/"

    def test_five_failures_lock_the_username_from_that_ip(self, settings):
        assert settings.AXES_FAILURE_LIMIT == 5
        for _ in range(4):
            assert self.login("wrong").status_code == 200  # the form again, with an error
        assert self.login("wrong").status_code == 429
        # Locked: even the right password is refused now, from that IP.
        locked = self.login("right-pass-42")
        assert locked.status_code == 429
        assert b"locked" in locked.content.lower()
        # The same staff member from another address is not locked out.
        assert self.login("right-pass-42", ip="198.51.100.1").status_code == 302

    def test_login_and_lockout_work_while_the_cache_is_unreachable(self, unreachable_cache):
        # django-axes keeps its attempts in the database, the session is in the database too.
        assert self.login("right-pass-42").status_code == 302
        for _ in range(4):
            assert self.login("wrong").status_code == 200
        assert self.login("wrong").status_code == 429
        assert self.login("right-pass-42").status_code == 429
