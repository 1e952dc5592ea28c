"""Revokes an API key by its prefix (shown in the admin and by create_api_key)."""

from django.core.management.base import BaseCommand, CommandError

from webstore.access.models import ApiKey
from webstore.access.services import api_key_revoke


class Command(BaseCommand):
    help = "Revoke an API key: writes with it answer 403 from now on."

    def add_arguments(self, parser):
        parser.add_argument("prefix", help="The key's prefix (the 8 characters after 'wsk_').")

    def handle(self, *args, prefix, **options):
        api_key = ApiKey.objects.filter(prefix=prefix).first()
        if api_key is None:
            raise CommandError(f"No API key with prefix '{prefix}'.")
        api_key_revoke(api_key=api_key)
        self.stdout.write(f"Revoked API key '{api_key.name}' ({api_key.prefix}).")
