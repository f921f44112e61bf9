"""Several portal hosts on one database and one Redis: each a gunicorn web pool (``gunicorn.conf.py``, as
``make run`` starts it) with its own instance folder and port, sharing only what the settings say is shared."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from portal.config import PROJECT_ROOT

from .stack import free_port, wait_for


@contextmanager
def running_host(instance: Path, env: Mapping[str, str]) -> Iterator[str]:
    """One gunicorn web pool with ``instance`` as its instance folder; yields its URL."""
    instance.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = instance / "gunicorn.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "portal:create_app()"],
            cwd=PROJECT_ROOT,
            env={
                **os.environ,
                "PORTAL_INSTANCE_PATH": str(instance),
                "PORTAL_BIND": f"127.0.0.1:{port}",
                "PORTAL_SERVICE_BIND": f"127.0.0.1:{free_port()}",
                "WEB_CONCURRENCY": "2",
                "RASA_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens: the chat answers degraded
                "RASA_TIMEOUT": "1",
                **env,
            },
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/", process, 60, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def running_hosts(workdir: Path, count: int, env: Mapping[str, str]) -> Iterator[list[str]]:
    """``count`` hosts, each with an instance folder of its own under ``workdir``; yields their URLs."""
    with ExitStack() as stack:
        yield [stack.enter_context(running_host(workdir / f"host-{n}", env)) for n in range(count)]
