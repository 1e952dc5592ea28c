from django.apps import AppConfig


class WebstoreConfig(AppConfig):
    """The project: its templates (admin, ReDoc). Its toolkits' apps are listed on their own."""

    name = "webstore"
