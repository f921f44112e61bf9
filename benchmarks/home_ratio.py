"""The home page's requests per second against a bare Flask "hello" app, both under ``gunicorn.conf.py``.

    .venv/bin/python benchmarks/home_ratio.py [--seconds 10] [--connections 10]

Each app is started by gunicorn with the portal's own settings (workers, threads, no keep-alive), one after the
other on a free port, and loaded by ``wrk`` (Debian's package, 4.1.0; installed by ``make benchmark-tools``) for the
same time with the same connections. Prints both figures and the ratio (issue 16 wants it ≥ 0.5). The access log
goes to /dev/null for both, so it weighs on neither.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "--access-logfile", "/dev/null", app],
        cwd=ROOT,
        env={**env, "PORTAL_BIND": f"127.0.0.1:{port}", "LOG_LEVEL": "warning"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"{app} did not answer on port {port}")


def load(port: int, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", f"http://127.0.0.1:{port}/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{errors.group(1)} error responses:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def measure(app: str, seconds: int, connections: int, env: dict[str, str]) -> float:
    port = free_port()
    process = serve(app, port, env)
    try:
        load(port, 2, connections)  # warm-up: every worker has rendered its templates once
        return load(port, seconds, connections)
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: make benchmark-tools (or apt-get install wrk)")
    env = dict(os.environ)
    hello = measure("benchmarks.hello_app:app", args.seconds, args.connections, env)
    home = measure("portal:create_app()", args.seconds, args.connections, env)
    print(f"{'app':<24}{'req/s':>10}")
    print(f"{'bare Flask hello':<24}{hello:>10.0f}")
    print(f"{'portal home page':<24}{home:>10.0f}")
    print(f"{'ratio':<24}{home / hello:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
