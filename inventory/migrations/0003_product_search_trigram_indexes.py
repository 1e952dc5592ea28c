"""Trigram indexes for the product search, on PostgreSQL.

`?search=` (and the admin's search) match a substring of the name or SKU in any case, which
Django writes as `UPPER(column::text) LIKE UPPER('%term%')`. A B-tree cannot serve a leading
wildcard, so without these indexes every search reads the whole table: a term that matches
nothing cost a full scan. GIN indexes of `UPPER(column)` with pg_trgm's operator class serve
exactly that expression. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may
create it. SQLite has no such index; there the search stays a scan.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# Written as SQL: Django's OpClass() renders inside an index expression only with
# django.contrib.postgres installed, an app this project has no other use for.
COLUMNS = ("name", "sku")


def indexes_add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in COLUMNS:
            schema_editor.execute(
                f'CREATE INDEX "product_{column}_trgm" ON "inventory_product" '
                f'USING gin (UPPER("{column}") gin_trgm_ops)'
            )


def indexes_remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in COLUMNS:
            schema_editor.execute(f'DROP INDEX "product_{column}_trgm"')


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0002_product_reorder_level"),
    ]

    operations = [
        # Skips itself on databases other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(indexes_add, indexes_remove, elidable=False),
    ]
