"""Settings for the Orders & Inventory service.

One file for every environment: production differs from a laptop only by environment variables
(see `.env.example`). Defaults are safe for production; `DEBUG=true` relaxes the secrets to
documented development values so the service runs with no configuration at all.
"""
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    # Real environment variables win over the file (read_env only sets missing keys).
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# Development-only values, used only with DEBUG on. The webhook default matches the one the
# original specification's clients (tests/test_webhook.py, the Postman collection) sign with.
DEV_SECRET_KEY = "django-insecure-development-only-key"
DEV_WEBHOOK_SECRET = "default-secret-change-in-production"


def _required_secret(name: str, dev_default: str) -> str:
    value = env.str(name, default="" if not DEBUG else dev_default)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off (production).")
    return value


SECRET_KEY = _required_secret("SECRET_KEY", DEV_SECRET_KEY)
WEBHOOK_SECRET = _required_secret("WEBHOOK_SECRET", DEV_WEBHOOK_SECRET)
if not any(secret.strip() for secret in WEBHOOK_SECRET.split(",")):
    raise ImproperlyConfigured("WEBHOOK_SECRET must hold at least one non-blank secret.")
# A signature made with X-Webhook-Timestamp is refused once its timestamp is this far from now.
WEBHOOK_TOLERANCE_SECONDS = env.int("WEBHOOK_TOLERANCE_SECONDS", default=300)
STORE_CURRENCY = env.str("STORE_CURRENCY", default="USD").upper()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "inventory",
    "orders",
    "payments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "webstore.middleware.RequireContentLengthMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "webstore.urls"
WSGI_APPLICATION = "webstore.wsgi.application"
# Every API path answers with and without a trailing slash itself; no redirects.
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "webstore" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite file in the project folder by default; DATABASE_URL (postgres://...) switches engines.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
_db = DATABASES["default"]
_db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
_db["CONN_HEALTH_CHECKS"] = True
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers queue on the busy timeout instead of failing with "database is
    # locked": IMMEDIATE takes the write lock when a transaction starts, WAL lets readers run
    # beside the single writer. select_for_update() is a no-op here; IMMEDIATE is what
    # serializes the read-check-write of order placement and cancellation.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not the shared-cache in-memory default: threads in concurrency tests need WAL and
    # the busy timeout, which in-memory databases do not give.
    _db["TEST"] = {"NAME": str(BASE_DIR / "test_db.sqlite3")}
else:
    _db.setdefault("OPTIONS", {})["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", default=5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (admin, Swagger UI, ReDoc) served by whitenoise -----------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Bodies larger than this are refused with 413 by the JSON parser.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_BODY_BYTES", default=1024 * 1024)

# --- REST framework ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_PARSER_CLASSES": ["webstore.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["webstore.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "webstore.renderers.JSONOnlyNegotiation",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "webstore.pagination.SkipLimitPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "webstore.exceptions.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Orders & Inventory Microservice",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Products, stock and orders for an online store, with a signed payment webhook.\n\n"
        "* **Products** carry a unique SKU, an exact decimal price and a stock count; deleting "
        "one archives it.\n"
        "* **Orders** reserve stock atomically when placed (never oversold) and return it when "
        "canceled before shipping. Status moves PENDING → PAID → SHIPPED, or to CANCELED.\n"
        "* **Webhooks** accept payment events signed with HMAC-SHA256; each event id is "
        "processed at most once.\n\n"
        "Every error body has a top-level `detail`. Every path works with and without a "
        "trailing slash."
    ),
    "TAGS": [
        {"name": "products", "description": "Product catalog and stock levels."},
        {"name": "orders", "description": "Orders: placement, status changes, cancellation."},
        {"name": "webhooks", "description": "Signed callbacks from the payment provider."},
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"OrderStatusEnum": "orders.models.Order.Status"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "webstore.openapi.strip_trailing_slashes",
        "webstore.openapi.document_service_unavailable",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
