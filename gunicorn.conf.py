"""gunicorn settings for ``gunicorn 'portal:create_app()'`` (``make run`` uses them), for either of two pools.

``PORTAL_POOL=web`` (the default) is the public pool on ``PORTAL_BIND``: pages, the API, chat turns.
``PORTAL_POOL=service`` is the service pool on ``PORTAL_SERVICE_BIND``: the API for service-token callers only
(the assistant's action server), never a chat turn. A chat turn holds a web thread while Rasa answers, and Rasa's
actions call the portal's API in the middle of that answer; on a pool of their own those calls never wait behind
the chat turns that are waiting on them (README, "Two pools").
"""

import multiprocessing
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from portal.config import DEFAULT_BIND, service_bind  # after the path is set

pool = os.environ.get("PORTAL_POOL", "web")
if pool == "service":
    bind = service_bind()
    # Rasa's actions make short CPU-bound calls (a policy record, a search, the rule engine): a few threads do.
    workers = int(os.environ.get("PORTAL_SERVICE_WORKERS", "2"))
    threads = int(os.environ.get("PORTAL_SERVICE_THREADS", "4"))
    keepalive = 5
    proc_name = "portal-service"
else:
    bind = os.environ.get("PORTAL_BIND", DEFAULT_BIND)
    # Two workers per core plus one, capped: the portal is I/O-light and each worker holds the search index.
    workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
    # Threads are how many requests a worker serves at once, pages and chat turns alike; a chat turn is a thread
    # waiting on Rasa. 5 × 2 lets 10 turns wait at Rasa at once: Rasa answers about 13 turns a second on 2 cores
    # whatever the number in flight, and with 10 each answer stays well inside RASA_TIMEOUT; let through 30 at once
    # and Rasa itself takes longer than 4 s for some.
    threads = int(os.environ.get("PORTAL_THREADS", "2"))
    # One queue for the whole pool, first come first served: a worker accepts a connection only when it has a
    # thread free for it, so waiting connections stay in the listening socket's backlog, which every worker takes
    # from in order. (By default a gthread worker accepts up to 1000 connections and queues them behind its own
    # threads, however busy, while another worker may be idle: under load some residents waited twice as long.)
    # The price is no HTTP keep-alive on the public pool: a kept-alive idle connection would hold a thread's place.
    worker_connections = threads
    keepalive = 0
    proc_name = "portal-web"
# Threads, not processes, for the waiting: a chat turn mostly waits on Rasa. (With threads > 1 gunicorn picks
# gthread by itself; saying so keeps a threads setting of 1 from silently changing the worker class.)
worker_class = "gthread"
# No control socket (gunicornc is not used): by default every master on the machine would share one path, and
# make run starts two.
control_socket_disable = True
# Load the app (content, search index, jieba dictionary) once in the master, before workers fork.
preload_app = True
timeout = 30
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server: object) -> None:
    """After the app is loaded in the master, before the workers fork.

    Templates are compiled and both languages' catalogues read here, once, rather than in every worker on its first
    requests (a quarter of a second of CPU per worker, again whenever max_requests replaces one). Then everything
    loaded so far (content, search index, the jieba dictionary: some 300,000 objects) is moved out of the garbage
    collector's sight: each worker's full collections would otherwise walk all of it and, by touching every object,
    copy every page the fork shared.
    """
    import gc

    app = server.app.wsgi()  # type: ignore[attr-defined]
    warm = getattr(app, "extensions", {}).get("warm_up")
    if warm is not None:
        warm()
    gc.freeze()
