"""Lets the "store staff" group see payments and mark rejected ones reviewed."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "store staff"
PERMISSIONS = (("payments", "view_payment"), ("payments", "review_payment"))


def _permissions(apps):
    # On a fresh database permissions are only created after all migrations (post_migrate);
    # create them now so the group can be given them.
    app_config = apps.get_app_config("payments")
    # Historical app configs have no models module, which create_permissions skips.
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in PERMISSIONS
    ]


def permissions_grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*_permissions(apps))


def permissions_revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0002_payment_review"),
        ("orders", "0002_store_staff_group"),
    ]

    operations = [migrations.RunPython(permissions_grant, permissions_revoke)]
