"""Adopting the tables of the retired `webstore` app when its models moved to their own apps.

Databases created before the move hold `webstore_apikey` and `webstore_idempotencyrecord`,
with rows; new databases hold nothing. Forward, the operation renames the old table when it is
there, with the indexes, constraints and sequences named after it, so the schema is the one a new
database gets, and moves its content type, so staff permissions follow; otherwise it creates the
table. The retired app's row in `django_migrations` stays: migrating back, it tells that the
table came from there, and the table goes back under its old name for the previous release.
"""

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

RETIRED_APP_LABEL = "webstore"


def adopt_or_create_table(app_label: str, model_name: str) -> migrations.RunPython:
    """A migration operation: takes over `webstore_<model>` if it exists, else creates the table."""

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        old_table = f"{RETIRED_APP_LABEL}_{model._meta.model_name}"
        if old_table in schema_editor.connection.introspection.table_names():
            table_rename(schema_editor, model, old_table, model._meta.db_table)
            content_type_move(apps, model, RETIRED_APP_LABEL, app_label)
        else:
            schema_editor.create_model(model)

    def backward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        recorder = MigrationRecorder(schema_editor.connection)
        if recorder.migration_qs.filter(app=RETIRED_APP_LABEL).exists():
            old_table = f"{RETIRED_APP_LABEL}_{model._meta.model_name}"
            table_rename(schema_editor, model, model._meta.db_table, old_table)
            content_type_move(apps, model, app_label, RETIRED_APP_LABEL)
        else:
            schema_editor.delete_model(model)

    return migrations.RunPython(forward, backward)


def content_type_move(apps, model, from_label: str, to_label: str) -> None:
    apps.get_model("contenttypes", "ContentType").objects.filter(
        app_label=from_label, model=model._meta.model_name
    ).update(app_label=to_label)


def table_rename(schema_editor, model, old_table: str, new_table: str) -> None:
    """Renames a table and the indexes, constraints and sequences named after it, to the names
    creating the model under `new_table` gives them (later migrations find them by those)."""
    connection = schema_editor.connection
    quote = schema_editor.quote_name
    schema_editor.alter_db_table(model, old_table, new_table)
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, new_table)
        sequences = connection.introspection.get_sequences(cursor, new_table)
        if connection.vendor == "sqlite":
            # SQLite cannot rename an index; the ones outside the table's DDL are made anew.
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [new_table],
            )
            index_ddl = dict(cursor.fetchall())
    for name, constraint in constraints.items():
        new_name = _name_for_table(schema_editor, name, constraint["columns"], old_table, new_table)
        if new_name == name:
            continue
        if connection.vendor == "sqlite":
            if name in index_ddl:
                schema_editor.execute(f"DROP INDEX {quote(name)}")
                schema_editor.execute(index_ddl[name].replace(quote(name), quote(new_name), 1))
        elif constraint["index"]:
            schema_editor.execute(f"ALTER INDEX {quote(name)} RENAME TO {quote(new_name)}")
        else:
            schema_editor.execute(
                f"ALTER TABLE {quote(new_table)} RENAME CONSTRAINT {quote(name)} "
                f"TO {quote(new_name)}"
            )
    for sequence in sequences:
        name = sequence.get("name")
        if name:
            new_name = _name_for_table(schema_editor, name, [], old_table, new_table)
            if new_name != name:
                schema_editor.execute(f"ALTER SEQUENCE {quote(name)} RENAME TO {quote(new_name)}")


def _name_for_table(schema_editor, name: str, columns, old_table: str, new_table: str) -> str:
    # Django's own index names hash the table name, so they are computed again for the new one.
    for suffix in ("", "_like", "_uniq"):
        if columns and name == schema_editor._create_index_name(old_table, columns, suffix=suffix):
            return schema_editor._create_index_name(new_table, columns, suffix=suffix)
    # PostgreSQL names what it creates itself `<table>_pkey`, `<table>_<column>_key|check|seq`.
    if name.startswith(f"{old_table}_"):
        return new_table + name.removeprefix(old_table)
    return name
