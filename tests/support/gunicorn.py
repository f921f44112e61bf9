"""The portal under gunicorn (the real ``gunicorn.conf.py``) on a free port, in its own process group so a test can
SIGKILL the master and every worker at once, and start it again on the same instance."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from portal.applications.sealing import Sealer
from portal.config import PROJECT_ROOT
from portal.db import upgrade_to_head

from .stack import free_port


class Portal:
    def __init__(self, instance: Path, search_index: Path, database_url: str | None = None, **extra_env: str) -> None:
        """``database_url``: a migrated database to use (PostgreSQL in the services pass); else a SQLite file in
        ``instance``."""
        instance.mkdir(parents=True, exist_ok=True)
        self.instance = instance
        self.database_url = database_url or f"sqlite:///{instance / 'portal.sqlite3'}"
        if database_url is None:
            upgrade_to_head(self.database_url)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_key = Sealer.generate_key()
        self.env = {
            **os.environ,
            "PORTAL_INSTANCE_PATH": str(instance),
            "DATABASE_URL": self.database_url,
            "SEARCH_INDEX_DIR": str(search_index),
            "DATA_KEY": self.data_key,
            "UPLOADS_DIR": str(instance / "uploads"),
            "RASA_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens: the chat answers degraded
            "RASA_TIMEOUT": "1",
            "PORTAL_BIND": f"127.0.0.1:{self.port}",
            "PORTAL_SERVICE_TOKEN": "kill-test-token",
            "RATELIMIT_ENABLED": "false",
            "WEB_CONCURRENCY": "2",
            "PORTAL_THREADS": "2",
            **extra_env,
        }
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def log(self) -> Path:
        return self.instance / "gunicorn.log"

    def start(self, seconds: float = 90) -> None:
        self.starts += 1
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "portal:create_app()"],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.log.read_text(errors="replace")[-4000:])
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not come up:\n" + self.log.read_text(errors="replace")[-4000:])

    def kill(self) -> None:
        """SIGKILL the master and its workers (the whole process group): no shutdown code runs."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
