"""Creates an API key and prints it once: `API_KEY=$(manage.py create_api_key NAME)`."""

from django.core.management.base import BaseCommand

from webstore.access.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key for writes; the key is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who uses the key (a client, a script).")

    def handle(self, *args, name, **options):
        api_key, secret = api_key_create(name=name)
        self.stdout.write(secret)
        self.stderr.write(
            f"Created API key '{api_key.name}' (prefix {api_key.prefix}). Store it now: "
            "it cannot be shown again."
        )
