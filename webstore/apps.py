from django.apps import AppConfig
from django.db.backends.signals import connection_created


class WebstoreConfig(AppConfig):
    """The project: its templates (admin, ReDoc). Its toolkits' apps are listed on their own."""

    name = "webstore"

    def ready(self):
        from webstore.observability.metrics import database_connection_opened

        connection_created.connect(database_connection_opened, dispatch_uid="webstore_db_metrics")
