"""The migrations describe the models exactly, and databases made before the API-key and
idempotency models moved to their own apps keep their rows, permissions and schema."""

import io

import django.utils.timezone
import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, migrations, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ProjectState

from webstore.access.models import ApiKey
from webstore.access.selectors import api_key_get_by_secret, api_key_hash
from webstore.idempotency.models import IdempotencyRecord

NEW_TABLES = ("access_apikey", "idempotency_idempotencyrecord")
OLD_TABLES = ("webstore_apikey", "webstore_idempotencyrecord")
MOVED_APPS = ("access", "idempotency")
OLD_SECRET = "wsk_0a1b2c3d_made-before-the-move"


class RetiredWebstoreInitial(migrations.Migration):
    """The retired `webstore` app's 0001_initial (commit a5734da), as it made the tables."""

    initial = True

    operations = [
        migrations.CreateModel(
            name="ApiKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="Who uses this key (a client, a script).", max_length=100
                    ),
                ),
                ("prefix", models.CharField(editable=False, max_length=16, unique=True)),
                ("key_hash", models.CharField(editable=False, max_length=64, unique=True)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("revoked_at", models.DateTimeField(blank=True, editable=False, null=True)),
            ],
            options={"verbose_name": "API key", "ordering": ["-created_at", "-pk"]},
        ),
        migrations.CreateModel(
            name="IdempotencyRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scope", models.CharField(max_length=200)),
                ("key", models.CharField(max_length=255)),
                ("request_fingerprint", models.CharField(max_length=64)),
                ("status_code", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("response_body", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scope", "key"), name="idempotency_scope_key_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status_code__isnull", True),
                            ("status_code__gte", 100),
                            _connector="OR",
                        ),
                        name="idempotency_status_valid",
                    ),
                ],
            },
        ),
    ]


def table_names() -> set[str]:
    return set(connection.introspection.table_names())


def table_schema(table: str) -> dict:
    """Everything the database says about a table: columns, constraints and indexes (with their
    names), sequences and, on SQLite, the DDL itself."""
    introspection = connection.introspection
    with connection.cursor() as cursor:
        schema = {
            "columns": [
                (column.name, column.type_code, column.null_ok, column.default)
                for column in introspection.get_table_description(cursor, table)
            ],
            "constraints": introspection.get_constraints(cursor, table),
            "sequences": introspection.get_sequences(cursor, table),
        }
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = %s ORDER BY name",
                [table],
            )
            schema["ddl"] = cursor.fetchall()
    return schema


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()


def migrate_forward() -> None:
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def migrate_moved_apps_to_zero() -> None:
    migrate([(app_label, None) for app_label in MOVED_APPS])


def permission_names(queryset) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in queryset.values_list("content_type__app_label", "codename")
    }


def old_rows() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        rows = {}
        for table in OLD_TABLES:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY id")
            rows[table] = cursor.fetchall()
    return rows


@pytest.fixture
def fresh_schema(transactional_db) -> dict[str, dict]:
    """The new apps' tables as migrations create them on an empty database; restored after."""
    schema = {table: table_schema(table) for table in NEW_TABLES}
    yield schema
    migrate_moved_apps_to_zero()
    with connection.schema_editor() as editor:
        for table in OLD_TABLES:
            if table in table_names():
                editor.execute(f"DROP TABLE {editor.quote_name(table)}")
    MigrationRecorder(connection).migration_qs.filter(app="webstore").delete()
    migrate_forward()
    assert {table: table_schema(table) for table in NEW_TABLES} == schema


@pytest.fixture
def pre_move_database(fresh_schema):
    """A database as the retired `webstore` app left it: its tables and rows, its content types
    and the permissions staff hold on them, its row in `django_migrations`."""
    migrate_moved_apps_to_zero()
    assert not table_names() & set(NEW_TABLES)
    # Content types and permissions of the new labels appear only once the new apps migrate.
    ContentType.objects.filter(app_label__in=MOVED_APPS).delete()

    state = ProjectState()
    with connection.schema_editor() as editor:
        state = RetiredWebstoreInitial("0001_initial", "webstore").apply(state, editor)
    MigrationRecorder(connection).record_applied("webstore", "0001_initial")
    OldApiKey = state.apps.get_model("webstore", "ApiKey")
    OldRecord = state.apps.get_model("webstore", "IdempotencyRecord")
    now = django.utils.timezone.now()
    OldApiKey.objects.create(
        name="shop frontend", prefix="0a1b2c3d", key_hash=api_key_hash(OLD_SECRET)
    )
    OldApiKey.objects.create(
        name="old script", prefix="9f8e7d6c", key_hash="0" * 64, revoked_at=now
    )
    OldRecord.objects.create(
        scope="key:1 POST /orders",
        key="retry-1",
        request_fingerprint="f" * 64,
        status_code=201,
        response_body='{"id": 7}',
        expires_at=now + django.utils.timezone.timedelta(days=1),
    )
    OldRecord.objects.create(
        scope="anonymous POST /orders",
        key="in-flight",
        request_fingerprint="e" * 64,
        expires_at=now + django.utils.timezone.timedelta(days=1),
    )

    permissions = []
    for model_name, verbose_name in (
        ("apikey", "API key"),
        ("idempotencyrecord", "idempotency record"),
    ):
        content_type = ContentType.objects.create(app_label="webstore", model=model_name)
        for action in ("add", "change", "delete", "view"):
            permissions.append(
                Permission.objects.create(
                    content_type=content_type,
                    codename=f"{action}_{model_name}",
                    name=f"Can {action} {verbose_name}",
                )
            )
    group = Group.objects.create(name="key managers")
    group.permissions.set(
        [p for p in permissions if p.codename in ("view_apikey", "delete_idempotencyrecord")]
    )
    user = User.objects.create_user("auditor")
    user.user_permissions.set([p for p in permissions if p.codename == "change_apikey"])
    return {
        "revoked_at": now,
        "schema": {table: table_schema(table) for table in OLD_TABLES},
        "rows": old_rows(),
        "content_types": dict(
            ContentType.objects.filter(app_label="webstore").values_list("model", "pk")
        ),
    }


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert out.getvalue().strip() == "No changes detected"


def test_an_empty_database_gets_the_new_tables(fresh_schema):
    migrate_moved_apps_to_zero()
    assert not table_names() & {*NEW_TABLES, *OLD_TABLES}

    migrate_forward()

    assert {table: table_schema(table) for table in NEW_TABLES} == fresh_schema
    assert not table_names() & set(OLD_TABLES)
    assert set(MigrationRecorder(connection).migration_qs.values_list("app", flat=True)) >= {
        *MOVED_APPS
    }


def test_a_pre_move_database_keeps_its_rows_permissions_and_schema(fresh_schema, pre_move_database):
    migrate_forward()

    assert not table_names() & set(OLD_TABLES)
    # The adopted tables are the ones a fresh database gets, down to index and sequence names.
    assert {table: table_schema(table) for table in NEW_TABLES} == fresh_schema

    assert list(ApiKey.objects.order_by("pk").values_list("name", "prefix", "revoked_at")) == [
        ("shop frontend", "0a1b2c3d", None),
        ("old script", "9f8e7d6c", pre_move_database["revoked_at"]),
    ]
    assert api_key_get_by_secret(secret=OLD_SECRET).name == "shop frontend"
    assert list(
        IdempotencyRecord.objects.order_by("pk").values_list(
            "scope", "key", "status_code", "response_body"
        )
    ) == [
        ("key:1 POST /orders", "retry-1", 201, '{"id": 7}'),
        ("anonymous POST /orders", "in-flight", None, ""),
    ]
    assert not IdempotencyRecord.objects.get(key="retry-1").is_in_flight
    # New rows continue after the old ones.
    old_key_pks = list(ApiKey.objects.values_list("pk", flat=True))
    assert ApiKey.objects.create(name="new", prefix="11112222", key_hash="1" * 64).pk > max(
        old_key_pks
    )

    # The content types moved (same rows, so every permission and group link follows).
    assert (
        dict(ContentType.objects.filter(app_label__in=MOVED_APPS).values_list("model", "pk"))
        == pre_move_database["content_types"]
    )
    assert not ContentType.objects.filter(app_label="webstore").exists()
    assert permission_names(Group.objects.get(name="key managers").permissions) == {
        "access.view_apikey",
        "idempotency.delete_idempotencyrecord",
    }
    auditor = User.objects.get(username="auditor")
    assert auditor.has_perm("access.change_apikey")
    assert not auditor.has_perm("access.delete_apikey")
    # The retired app's row stays: it tells the way back that these tables came from there.
    assert MigrationRecorder(connection).migration_qs.filter(app="webstore").count() == 1


def test_migrating_back_gives_the_pre_move_database_back(fresh_schema, pre_move_database):
    migrate_forward()
    migrate_moved_apps_to_zero()

    assert not table_names() & set(NEW_TABLES)
    assert {table: table_schema(table) for table in OLD_TABLES} == pre_move_database["schema"]
    assert old_rows() == pre_move_database["rows"]
    assert (
        dict(ContentType.objects.filter(app_label="webstore").values_list("model", "pk"))
        == pre_move_database["content_types"]
    )
    assert permission_names(Group.objects.get(name="key managers").permissions) == {
        "webstore.view_apikey",
        "webstore.delete_idempotencyrecord",
    }

    # And forward again, as a redeploy of the new code would.
    migrate_forward()
    assert {table: table_schema(table) for table in NEW_TABLES} == fresh_schema
    assert api_key_get_by_secret(secret=OLD_SECRET).name == "shop frontend"
