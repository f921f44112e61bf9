"""Start the whole product on free local ports, in the topology ``make run`` (scripts/run-all.sh) starts — the
portal's web pool and service pool (gunicorn, the same ``gunicorn.conf.py``), the Rasa action server calling the
service pool, the Rasa server — for the end-to-end test, the pool test and the chat benchmark. Everything binds
to 127.0.0.1 and is stopped on exit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from portal.config import PROJECT_ROOT
from portal.content import load_catalogue
from portal.search import build_index

from . import databases

ASSISTANT = PROJECT_ROOT / "assistant"
RASA = ASSISTANT / ".venv" / "bin" / "rasa"
MODEL = ASSISTANT / "models" / "dazu-assistant.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    url: str, process: subprocess.Popen, seconds: float, log: Path, headers: Mapping[str, str] | None = None
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited\n" + log.read_text(errors="replace")[-4000:])
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, headers=dict(headers or {})), timeout=2
            ) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {seconds:.0f} s\n" + log.read_text(errors="replace")[-4000:])


@dataclass
class Stack:
    portal_url: str  # the web pool (PORTAL_BIND): pages, the API, chat turns
    service_url: str  # the service pool (PORTAL_SERVICE_BIND): the API for the action server
    token: str
    rasa_url: str
    actions_url: str
    processes: dict[str, subprocess.Popen]
    logs: dict[str, Path]


@contextmanager
def running_stack(
    workdir: Path,
    with_assistant: bool = True,
    portal_env: Mapping[str, str] | None = None,
    actions_to_web_pool: bool = False,
) -> Iterator[Stack]:
    """The portal's two pools, and (``with_assistant``) the action server and the Rasa server, talking to each
    other. ``portal_env`` adds to both pools' environment (pool sizes, ``RASA_URL`` for a stand-in, limits).
    ``actions_to_web_pool`` is a control for the benchmark only: the action server calls the web pool, as it did
    before the service pool existed."""
    workdir.mkdir(parents=True, exist_ok=True)
    portal_port, service_port, rasa_port, actions_port = free_port(), free_port(), free_port(), free_port()
    token = "stack-test-token"
    cleanup = ExitStack()
    # SQLite in workdir; in the PostgreSQL+Redis pass a database of its own on the cluster.
    database_url = cleanup.enter_context(databases.database(workdir, name="portal"))
    index_dir = workdir / "search-index"
    build_index(load_catalogue(PROJECT_ROOT / "content"), index_dir)
    processes: dict[str, subprocess.Popen] = {}
    logs: dict[str, Path] = {}

    def start(name: str, command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen:
        logs[name] = workdir / f"{name}.log"
        handle = logs[name].open("w")
        processes[name] = subprocess.Popen(
            command, cwd=cwd, env={**os.environ, **env}, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        handle.close()
        return processes[name]

    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "portal:create_app()"]
    env = {
        "PORTAL_INSTANCE_PATH": str(workdir),
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(index_dir),
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "PORTAL_SERVICE_TOKEN": token,
        "PORTAL_BIND": f"127.0.0.1:{portal_port}",
        "PORTAL_SERVICE_BIND": f"127.0.0.1:{service_port}",
        **(portal_env or {}),
    }
    try:
        portal = start("portal", gunicorn, PROJECT_ROOT, {**env, "PORTAL_POOL": "web"})
        service = start("service", gunicorn, PROJECT_ROOT, {**env, "PORTAL_POOL": "service"})
        if with_assistant:
            assistant_env = {
                # As in make run: the service pool.
                "PORTAL_URL": f"http://127.0.0.1:{portal_port if actions_to_web_pool else service_port}",
                "PORTAL_SERVICE_TOKEN": token,
                "RASA_TELEMETRY_ENABLED": "false",
                "SANIC_HOST": "127.0.0.1",
            }
            endpoints = workdir / "endpoints.yml"
            endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n')
            actions = start(
                "actions",
                [str(RASA), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
                ASSISTANT,
                assistant_env,
            )
            rasa = start(
                "rasa",
                [
                    str(RASA),
                    "run",
                    "--enable-api",
                    "--interface",
                    "127.0.0.1",
                    "--port",
                    str(rasa_port),
                    "--model",
                    str(MODEL),
                    "--endpoints",
                    str(endpoints),
                    "--credentials",
                    "credentials.yml",
                ],
                ASSISTANT,
                assistant_env,
            )
        wait_for(f"http://127.0.0.1:{portal_port}/", portal, 60, logs["portal"])
        wait_for(
            f"http://127.0.0.1:{service_port}/api/v1/policies",
            service,
            60,
            logs["service"],
            {"Authorization": f"Bearer {token}"},
        )
        if with_assistant:
            wait_for(f"http://127.0.0.1:{actions_port}/health", actions, 120, logs["actions"])
            wait_for(f"http://127.0.0.1:{rasa_port}/status", rasa, 240, logs["rasa"])
        yield Stack(
            f"http://127.0.0.1:{portal_port}",
            f"http://127.0.0.1:{service_port}",
            token,
            f"http://127.0.0.1:{rasa_port}",
            f"http://127.0.0.1:{actions_port}",
            processes,
            logs,
        )
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        cleanup.close()
