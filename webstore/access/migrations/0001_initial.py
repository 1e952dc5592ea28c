"""API keys, in the table the retired `webstore` app kept them in when there is one."""

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
                    name="ApiKey",
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
                    options={
                        "verbose_name": "API key",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
            ],
        ),
        # After the state operation, so the historical model exists for the code to use.
        adopt_or_create_table("access", "ApiKey"),
    ]
