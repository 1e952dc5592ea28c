"""Settings for the Orders & Inventory service.

One file for every environment: production differs from a laptop only by environment variables
(see `.env.example`). Defaults are safe for production; `DEBUG=true` relaxes the secrets to
documented development values so the service runs with no configuration at all.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from corsheaders.defaults import default_headers as cors_default_headers
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
# Reorder level a new product starts with; at or below it the product is "low stock".
LOW_STOCK_THRESHOLD = env.int("LOW_STOCK_THRESHOLD", default=5)
# The store's name on every admin page (header, browser title, index).
STORE_NAME = env.str("STORE_NAME", default="Orders & Inventory")
# Where the staff admin is mounted; production may move it off the well-known path.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL must name a path, e.g. admin/.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Render sets the service's public host name; trusting it keeps render.yaml free of URLs.
RENDER_EXTERNAL_HOSTNAME = env.str("RENDER_EXTERNAL_HOSTNAME", default="")
if RENDER_EXTERNAL_HOSTNAME:
    ALLOWED_HOSTS.append(RENDER_EXTERNAL_HOSTNAME)
    CSRF_TRUSTED_ORIGINS.append(f"https://{RENDER_EXTERNAL_HOSTNAME}")

INSTALLED_APPS = [
    # Django's admin with the store's site (name, dashboard): webstore.backoffice.sites.
    "webstore.backoffice.apps.BackofficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "corsheaders",
    "axes",
    "webstore",
    "webstore.access",
    "webstore.idempotency",
    "inventory",
    "orders",
    "payments",
]

MIDDLEWARE = [
    # First: request id, access log and request metrics cover everything below.
    "webstore.observability.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer early, so every API response carries the CORS headers.
    "webstore.api.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "webstore.api.middleware.RequireContentLengthMiddleware",
    # The admin's browser middleware (sessions, login, messages) skips API requests.
    "webstore.api.middleware.AdminSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "webstore.api.middleware.AdminAuthenticationMiddleware",
    "webstore.api.middleware.AdminMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out admin login into its lockout page.
    "axes.middleware.AxesMiddleware",
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
# A health check is a round trip before each request's first query (a PostgreSQL read's cost
# nearly doubles). Without it a connection broken while idle fails one request with the 503
# and its Retry-After, and is replaced; nothing was written on it.
_db["CONN_HEALTH_CHECKS"] = env.bool("DB_HEALTH_CHECKS", default=False)
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

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username/IP pair is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

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

# --- Staff admin: CSV import/export (django-import-export) ------------------------------------
# An import runs in one transaction and is rolled back whole when any row fails.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- REST framework ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_PARSER_CLASSES": ["webstore.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["webstore.api.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "webstore.api.renderers.JSONOnlyNegotiation",
    # Secure by default: every DRF view reads publicly and writes with an API key (when
    # REQUIRE_API_KEY is on). Endpoints authenticated otherwise (the signed payment webhook)
    # opt out with `authentication_classes = []` and `permission_classes = [AllowAny]`.
    "DEFAULT_AUTHENTICATION_CLASSES": ["webstore.access.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["webstore.access.permissions.ApiKeyRequiredForWrites"],
    "DEFAULT_THROTTLE_CLASSES": [
        "webstore.access.throttling.ReadRateThrottle",
        "webstore.access.throttling.WriteRateThrottle",
    ],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["webstore.api.filters.QueryFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "webstore.api.pagination.SkipLimitPagination",
    "DEFAULT_SCHEMA_CLASS": "webstore.api.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "webstore.api.exceptions.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "LIST_SERIALIZER_ERRORS_AS_DICT": True,
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
        "webstore.api.openapi.strip_trailing_slashes",
    ],
}

# --- Logs ----------------------------------------------------------------------------------
# JSON lines in production, readable lines locally; every line carries the request id.
LOG_FORMAT = env.str("LOG_FORMAT", default="console" if DEBUG else "json")
# One line per request (method, path, status, duration, request id, API key name).
ACCESS_LOG = env.bool("ACCESS_LOG", default=True)
# `/metrics` answers only a scraper that sends `Authorization: Bearer <token>` when this is set
# (comma-separated tokens, so one can be replaced without a gap); unset, it is open, for a
# scraper that reaches it over a private network only.
METRICS_TOKENS = [token.strip() for token in env.list("METRICS_TOKEN", default=[]) if token.strip()]

# --- API security: keys, rate limits, CORS, idempotency ----------------------------------------
# Writes (POST/PUT/PATCH/DELETE) need `Authorization: Bearer <key>` or `X-API-Key: <key>`.
# On in production, off in development so the original clients work unchanged.
REQUIRE_API_KEY = env.bool("REQUIRE_API_KEY", default=not DEBUG)


def _rate(name: str, production_default: str) -> str | None:
    """A DRF rate like `100/minute`; `off` (or empty) disables it. Off by default in development."""
    value = env.str(name, default="off" if DEBUG else production_default).strip()
    return None if value.lower() in ("", "off", "none") else value


# Per API key (or per client IP without one); reads and writes count separately.
THROTTLE_RATES = {
    "read": _rate("RATE_LIMIT_READ", "1200/minute"),
    "write": _rate("RATE_LIMIT_WRITE", "120/minute"),
}
# How many reverse proxies sit in front of the service (Render: 1). The client IP used for rate
# limits and admin lockouts is read from X-Forwarded-For only as far as these proxies vouch for.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# Rate-limit counters live in the cache: Redis when REDIS_URL is set (shared by every worker and
# instance), otherwise this process's memory. While Redis is unreachable the API keeps serving
# without limits (webstore/cache.py); a Redis connect or reply taking longer than
# REDIS_TIMEOUT_SECONDS counts as unreachable, so a hung Redis cannot stall requests.
REDIS_URL = env.str("REDIS_URL", default="")
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.25)
CACHES = {
    "default": (
        {
            "BACKEND": "webstore.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="webstore")

# Stored first responses to POSTs that carry an Idempotency-Key live this long.
IDEMPOTENCY_KEY_TTL_SECONDS = env.int("IDEMPOTENCY_KEY_TTL_SECONDS", default=24 * 60 * 60)
# A key still "in flight" after this long belongs to a request that died; it may be reused.
IDEMPOTENCY_LOCK_SECONDS = env.int("IDEMPOTENCY_LOCK_SECONDS", default=120)

# Browsers may call the API only from these origins (none by default); the admin is same-origin.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = rf"^/(?!{re.escape(ADMIN_URL)}).*$"
CORS_ALLOW_HEADERS = (*cors_default_headers, "idempotency-key", "if-match", "x-api-key")
CORS_EXPOSE_HEADERS = ["ETag", "Link", "Retry-After", "Idempotent-Replayed"]

# --- HTTPS, cookies, headers (what `manage.py check --deploy` asks for) -------------------------
# Production-safe when DEBUG is off. SSL redirect and the proxy header are opt-in: they are right
# only behind a TLS-terminating proxy (render.yaml turns both on), and would break plain-http
# local runs and the test client.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks (/health, /health/...) answer the platform's plain-http probes, unredirected.
SECURE_REDIRECT_EXEMPT = [r"^health(/|$)"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Admin brute force (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from
# one IP, that pair is locked out for AXES_COOLOFF_MINUTES. Attempts are stored in the database
# (axes' default handler), not the cache: lockouts hold through a cache outage.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "webstore.access.throttling.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": "webstore.observability.logs.structured_formatter",
            "log_format": LOG_FORMAT,
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "loggers": {
        # Django's own loggers go through the root handler too, not through Django's plain ones.
        "django": {"handlers": [], "level": "INFO"},
        # 4xx answers are in the access log already; crashes (5xx) are still logged here.
        "django.request": {"level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
