"""A scratch database for the in-process benchmarks (bench.volume, bench.export).

Fresh for every run: a temporary SQLite file, or a PostgreSQL database dropped and created
again (and dropped at the end). Django is set up on it in production mode with throwaway
secrets, and migrated.
"""

import argparse
import contextlib
import os
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_arguments(parser: argparse.ArgumentParser, *, pg_env: str, pg_name: str) -> None:
    """`--db sqlite|postgres` and `--pg-url` (default: the `pg_env` variable, else `pg_name`)."""
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(pg_env, f"postgres://postgres@127.0.0.1:5432/{pg_name}"),
    )


@contextlib.contextmanager
def scratch_database(args: argparse.Namespace, *, prefix: str) -> Iterator[str]:
    """Django set up on a fresh database as `args` (database_arguments) asks; yields its URL."""
    if args.db == "postgres":
        _recreate(args.pg_url)
        url = args.pg_url
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix=f'{prefix}-')}/{prefix}.sqlite3"
    django_setup(url)
    try:
        yield url
    finally:
        if args.db == "postgres":
            from django.db import connections

            connections.close_all()
            _recreate(args.pg_url, create=False)


def django_setup(db_url: str) -> None:
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="bench-only-insecure-key",
        WEBHOOK_SECRET="bench-only-webhook-secret",
        RATE_LIMIT_READ="off",
        DATABASE_URL=db_url,
        DJANGO_SETTINGS_MODULE="webstore.settings",
    )
    sys.path.insert(0, str(ROOT))
    # The benchmark serves no static files; whitenoise's note about a missing STATIC_ROOT is noise.
    warnings.filterwarnings("ignore", "No directory at")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _recreate(pg_url: str, *, create: bool = True) -> None:
    import psycopg

    base, _, name = pg_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
