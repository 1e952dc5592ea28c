"""OpenTelemetry tracing: on when OTEL_EXPORTER_OTLP_ENDPOINT is set, not even imported otherwise.

The packages are an optional group (`requirements-otel.txt`). Spans cover each request (Django
instrumentation) and each SQL statement (psycopg), exported over OTLP/HTTP in batches. The
standard OTEL_* variables (service name, headers, sampler) are read by the SDK itself. Called
from `webstore/wsgi.py`, so it runs in each gunicorn worker after the fork, where the exporter's
background thread must live (do not turn on gunicorn's preload_app with tracing).
"""

import os

from django.core.exceptions import ImproperlyConfigured


def tracing_configure() -> bool:
    """Installs the tracer provider and instrumentation if an OTLP endpoint is configured.

    Returns whether tracing is on. Raises ImproperlyConfigured when the endpoint is set but the
    optional packages are missing, rather than running silently without traces.
    """
    if not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return False
    try:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.instrumentation.django import DjangoInstrumentor
        from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as exc:
        raise ImproperlyConfigured(
            "OTEL_EXPORTER_OTLP_ENDPOINT is set but the tracing packages are missing: "
            "pip install -r requirements-otel.txt"
        ) from exc
    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", "webstore")})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    DjangoInstrumentor().instrument()
    PsycopgInstrumentor().instrument()
    return True
