"""The project's settings with the floor's URLs (bench/floor/__init__.py)."""

from webstore.settings import *  # noqa: F403  (the whole production configuration)

ROOT_URLCONF = "bench.floor.urls"
