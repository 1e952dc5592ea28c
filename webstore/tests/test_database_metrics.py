"""The database metrics the monitoring reads: connections opened, and failures to reach the
database (an API call answered 503, a readiness probe), against a real gunicorn."""

import socket

import pytest
import requests
from django.db import connection
from prometheus_client import REGISTRY

from webstore.tests.test_server_observability import _Outage, samples


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Outside the test's transaction: the connection is closed and opened again.
@pytest.mark.django_db(transaction=True)
def test_each_new_connection_is_counted():
    before = REGISTRY.get_sample_value("webstore_db_connections_total")
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert REGISTRY.get_sample_value("webstore_db_connections_total") == before + 1


@pytest.mark.django_db(transaction=True)
def test_failures_to_reach_the_database_are_counted_by_source(gunicorn, tmp_path):
    outage = _Outage(tmp_path)
    server = gunicorn(
        port=free_port(), env={**outage.server_env(), "WEB_CONCURRENCY": "1", "CONN_MAX_AGE": "0"}
    )

    def failures() -> dict[str, float]:
        values = samples(requests.get(server.url("/metrics"), timeout=10).text)
        return {
            source: values[("webstore_db_connection_failures_total", (("source", source),))]
            for source in ("api", "readiness")
        }

    assert requests.get(server.url("/products"), timeout=10).status_code == 200
    assert failures() == {"api": 0, "readiness": 0}
    opened = samples(requests.get(server.url("/metrics"), timeout=10).text)[
        ("webstore_db_connections_total", ())
    ]
    assert opened >= 1

    outage.begin()
    try:
        assert requests.get(server.url("/products"), timeout=10).status_code == 503
        assert (
            requests.post(
                server.url("/orders"), json={"product_id": 1, "quantity": 1}, timeout=10
            ).status_code
            == 503
        )
        assert requests.get(server.url("/health/ready"), timeout=10).status_code == 503
        assert failures() == {"api": 2, "readiness": 1}
    finally:
        outage.end()
    assert requests.get(server.url("/health/ready"), timeout=10).status_code == 200
    assert failures() == {"api": 2, "readiness": 1}
