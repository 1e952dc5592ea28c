"""Creates the "store staff" group: what a shop assistant needs in the admin, no user management."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "store staff"
# (app label, permission codename). No delete permissions (products archive, orders cancel) and
# nothing from auth, so a shop assistant cannot manage users or groups.
PERMISSIONS = (
    ("inventory", "view_product"),
    ("inventory", "add_product"),
    ("inventory", "change_product"),
    ("inventory", "view_stockmovement"),
    ("orders", "view_order"),
    ("orders", "change_order"),
)


def group_create(apps, schema_editor):
    # On a fresh database permissions are only created after all migrations (post_migrate);
    # create them now so the group can be given them.
    for app_label in sorted({app_label for app_label, _ in PERMISSIONS}):
        app_config = apps.get_app_config(app_label)
        # Historical app configs have no models module, which create_permissions skips.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def group_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("inventory", "0002_product_reorder_level"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(group_create, group_delete)]
