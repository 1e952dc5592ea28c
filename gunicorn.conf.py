"""Gunicorn settings, the same locally, in benchmarks and on Render; knobs are env vars.

Threads (gthread) let one worker overlap requests waiting on the database; several workers use
several cores. WEB_CONCURRENCY and GUNICORN_THREADS tune both without a code change.
Defaults: one worker per core of the 2-core target, two threads each; the request work is CPU
bound under the GIL, so more threads only lengthen the queue a request waits in (see bench/).
"""
import os

wsgi_app = "webstore.wsgi:application"
bind = f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Access logs cost a write per request; on by default, off for benchmarks.
accesslog = "-" if os.environ.get("ACCESS_LOG", "true").lower() == "true" else None
errorlog = "-"
