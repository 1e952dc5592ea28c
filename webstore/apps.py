from django.apps import AppConfig


class WebstoreConfig(AppConfig):
    """The project layer as an app: cross-cutting models (API keys, idempotency records)."""

    name = "webstore"
    verbose_name = "API access"
