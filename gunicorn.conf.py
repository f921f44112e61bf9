"""gunicorn settings for ``gunicorn 'portal:create_app()'`` (``make run`` uses them)."""

import multiprocessing
import os

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
# Two workers per core plus one, capped: the portal is I/O-light and each worker holds the search index.
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
threads = int(os.environ.get("PORTAL_THREADS", "2"))
# Load the app (content, search index, jieba dictionary) once in the master, before workers fork.
preload_app = True
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
