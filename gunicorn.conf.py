"""gunicorn's settings for the production image (gunicorn reads ./gunicorn.conf.py itself).

Threaded workers: a sync worker serves one connection at a time, so two clients that open a
connection and send nothing (slow or half-open, by accident or on purpose) held both workers
until the timeout and the site stopped answering. Each gthread worker serves several
connections; an idle one holds a thread, not the process.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A request taking longer than this is stuck; its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
accesslog = "-"
# Only the proxy in front may say which client and scheme a request came from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
