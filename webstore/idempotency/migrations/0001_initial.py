"""Idempotency records, in the table the retired `webstore` app kept them in when there is one."""

import django.utils.timezone
from django.db import migrations, models

from webstore.access.legacy_tables import adopt_or_create_table


class Migration(migrations.Migration):
    initial = True

    dependencies = [("contenttypes", "0002_remove_content_type_name")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
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
            ],
        ),
        # After the state operation, so the historical model exists for the code to use.
        adopt_or_create_table("idempotency", "IdempotencyRecord"),
    ]
