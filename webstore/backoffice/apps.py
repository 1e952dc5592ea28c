"""Django's admin app, with the store's admin site as its default site."""

from django.contrib.admin.apps import AdminConfig


class BackofficeAdminConfig(AdminConfig):
    """`admin.site` (what the apps register with) is the store's site, with its dashboard."""

    default_site = "webstore.backoffice.sites.StoreAdminSite"
