"""Rasa servers started as ``make run`` starts one (``assistant/scripts/run.sh``: an action server and a Rasa
server, with the endpoints file run.sh chooses from the environment), each on free ports of its own, all
started at once (each takes 30–60 s to load the model) and stopped on exit."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .stack import ASSISTANT, free_port, wait_for

RUN = ASSISTANT / "scripts" / "run.sh"
TRAIN = ASSISTANT / "scripts" / "train.sh"


@dataclass
class Assistant:
    url: str  # the Rasa server: REST webhook, HTTP API
    actions_url: str
    log: Path


def _free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


@contextmanager
def running_assistants(workdir: Path, count: int, env: Mapping[str, str]) -> Iterator[list[Assistant]]:
    """``count`` copies of run.sh, each with its own Rasa and action server ports and its own log under
    ``workdir``; ``env`` adds to their environment (the stores). The action servers' PORTAL_URL is a port
    nothing listens on unless ``env`` names one."""
    workdir.mkdir(parents=True, exist_ok=True)
    # run.sh trains when the model is stale: do it once here, not in every copy at the same time.
    subprocess.run(["bash", str(TRAIN)], cwd=ASSISTANT, check=True, capture_output=True, text=True)
    ports = _free_ports(2 * count + 1)
    started: list[tuple[subprocess.Popen, Assistant]] = []
    try:
        for n in range(count):
            rasa_port, actions_port = ports[2 * n], ports[2 * n + 1]
            log = workdir / f"assistant-{n}.log"
            with log.open("w") as handle:
                process = subprocess.Popen(
                    ["bash", str(RUN)],
                    cwd=ASSISTANT,
                    env={
                        **os.environ,
                        "RASA_PORT": str(rasa_port),
                        "ACTIONS_PORT": str(actions_port),
                        "PORTAL_URL": f"http://127.0.0.1:{ports[-1]}",
                        **env,
                    },
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            started.append(
                (process, Assistant(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{actions_port}", log))
            )
        for process, assistant in started:
            wait_for(assistant.actions_url + "/health", process, 180, assistant.log)
            wait_for(assistant.url + "/status", process, 300, assistant.log)
        yield [assistant for _, assistant in started]
    finally:
        for process, _ in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process, _ in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
