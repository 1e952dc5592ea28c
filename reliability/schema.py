"""The OpenAPI document under test, built in-process exactly as /openapi.json serves it.

Built at import (collection) time so pytest can list one fuzzing test per operation;
`test_schema_fuzzing.py` proves it equals what the live server publishes.
"""

import json
import os

import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

# Rendered to JSON and back, as served (decimal bounds become JSON numbers).
OPENAPI = json.loads(
    OpenApiJsonRenderer().render(
        SchemaGenerator().get_schema(request=None, public=True), renderer_context={}
    )
)
schema = schemathesis.openapi.from_dict(OPENAPI)


def webhook_secret() -> str:
    """The secret the servers verify webhooks with (see reliability.servers.Gunicorn)."""
    return os.environ.get("WEBHOOK_SECRET", "test-webhook-secret").split(",")[0]
