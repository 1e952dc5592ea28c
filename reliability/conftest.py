"""Fixtures of the reliability group: live gunicorn servers on the test database."""

import pytest

from reliability.servers import Gunicorn, database_url


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.parent.name == "reliability":
            item.add_marker(pytest.mark.reliability)


@pytest.fixture(scope="module")
def gunicorn_server(django_db_setup):
    """One production-configured gunicorn (2 workers) on the test database."""
    server = Gunicorn(database_url=database_url())
    yield server
    server.stop()
