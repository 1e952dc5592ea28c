"""Log formatting: one JSON object per line in production, readable key=value lines locally.

Every logger in the process (Django's, gunicorn's, the apps') goes through the root handler
and this formatter, so a record's `extra={...}` fields and the request id bound by
`RequestLogMiddleware` appear in every line without the caller doing anything. Domain code logs
with the standard library: `logging.getLogger("orders").info("order_placed", extra={...})`.
"""

import logging
import sys

import structlog

LOG_FORMATS = ("json", "console")


def structured_formatter(log_format: str) -> logging.Formatter:
    """The formatter for `LOG_FORMAT`: `json` (machine-readable) or `console` (for people)."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {LOG_FORMATS}, not {log_format!r}")
    if log_format == "json":
        renderers = [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
    else:
        renderers = [structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.add_log_level,
            structlog.stdlib.ExtraAdder(),
            structlog.processors.TimeStamper(fmt="iso", utc=True),
        ],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderers],
    )
