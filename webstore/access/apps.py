from django.apps import AppConfig


class AccessConfig(AppConfig):
    """API keys: the credentials clients write with."""

    name = "webstore.access"
    label = "access"
    verbose_name = "API access"
