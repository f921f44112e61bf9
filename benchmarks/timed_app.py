"""A WSGI wrapper that counts the CPU time spent inside the app it wraps, for ``home_ratio.py --inside``.

    BENCHMARK_APP='portal:create_app()' gunicorn … benchmarks.timed_app:app

``BENCHMARK_APP`` names the app as gunicorn would (``module:name`` or ``module:factory()``). Each worker writes
its running totals (requests, CPU seconds in the app's thread while the app ran and its body was joined) to
stderr every ``REPORT_EVERY`` requests, so the CPU a request costs inside the app can be told apart from what
gunicorn spends around it (accepting, parsing, writing, the worker's loop).
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from collections.abc import Callable, Iterable

REPORT_EVERY = 200


def _load(spec: str) -> Callable:
    module, _, name = spec.partition(":")
    target = getattr(importlib.import_module(module), name.removesuffix("()"))
    return target() if name.endswith("()") else target


_app = _load(os.environ["BENCHMARK_APP"])
_totals = [0, 0.0]


def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
    started = time.thread_time()
    body = b"".join(_app(environ, start_response))
    _totals[1] += time.thread_time() - started
    _totals[0] += 1
    if _totals[0] % REPORT_EVERY == 0:
        print(f"inside-app {os.getpid()} {_totals[0]} {_totals[1]:.6f}", file=sys.stderr, flush=True)
    return [body]
