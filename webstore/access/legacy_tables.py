"""Adopting the tables of the retired `webstore` app when its models moved to their own apps.

Databases created before the move hold `webstore_apikey` and `webstore_idempotencyrecord`,
with rows; new databases hold nothing. The operation renames the old table when it is there
(and moves its content type, so staff permissions follow) and creates the table otherwise.
"""

from django.db import migrations

RETIRED_APP_LABEL = "webstore"


def adopt_or_create_table(app_label: str, model_name: str) -> migrations.RunPython:
    """A migration operation: takes over `webstore_<model>` if it exists, else creates the table."""

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        old_table = f"{RETIRED_APP_LABEL}_{model._meta.model_name}"
        if old_table in schema_editor.connection.introspection.table_names():
            schema_editor.alter_db_table(model, old_table, model._meta.db_table)
            apps.get_model("contenttypes", "ContentType").objects.filter(
                app_label=RETIRED_APP_LABEL, model=model._meta.model_name
            ).update(app_label=app_label)
        else:
            schema_editor.create_model(model)

    def backward(apps, schema_editor):
        schema_editor.delete_model(apps.get_model(app_label, model_name))

    return migrations.RunPython(forward, backward)
