"""The home page's requests per second against a bare Flask "hello" app, both under ``gunicorn.conf.py``.

    .venv/bin/python benchmarks/home_ratio.py [--seconds 10] [--connections 10] [--inside]

Each app is started by gunicorn with the portal's own settings (workers, threads, no keep-alive), one after the
other on a free port, and loaded by ``wrk`` (Debian's package, 4.1.0; installed by ``make benchmark-tools``) for the
same time with the same connections. Prints both figures and the ratio (issue 16 wants it ≥ 0.5), and beside them
the CPU time the server (master and workers, from /proc) spent per request: on a machine shared with other work
the rates move with the neighbours' load, the CPU per request much less. The access log goes to /dev/null for
both, so it weighs on neither.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app: str, port: int, env: dict[str, str], stderr: IO[bytes] | None = None) -> subprocess.Popen[bytes]:
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "--access-logfile", "/dev/null", app],
        cwd=ROOT,
        env={**env, "PORTAL_BIND": f"127.0.0.1:{port}", "LOG_LEVEL": "warning"},
        stdout=subprocess.DEVNULL,
        stderr=stderr or subprocess.DEVNULL,
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


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(master: int) -> float:
    """CPU time used so far by a gunicorn master and all its workers, live or exited (Linux /proc)."""

    def times(pid: int, children: bool) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        used = int(fields[11]) + int(fields[12])  # utime, stime
        if children:
            used += int(fields[13]) + int(fields[14])  # cutime, cstime: exited workers
        return used / TICKS

    total = times(master, True)
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        with contextlib.suppress(FileNotFoundError):  # a worker that just exited is in cutime already
            total += times(int(child), False)
    return total


def load(port: int, seconds: int, connections: int) -> tuple[float, int]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", f"http://127.0.0.1:{port}/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{errors.group(1)} error responses:\n{out}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), requests


def inside_totals(report: Path) -> dict[str, tuple[int, float]]:
    """Each worker's latest (requests, CPU seconds inside the app) from ``timed_app``'s lines."""
    latest = {}
    for line in report.read_text().splitlines():
        if line.startswith("inside-app "):
            _, pid, count, spent = line.split()
            latest[pid] = (int(count), float(spent))
    return latest


def measure(
    app: str, seconds: int, connections: int, env: dict[str, str], inside: bool = False
) -> tuple[float, float, float | None]:
    """(requests per second, the server's CPU ms per request, of which inside the app: with ``inside``, the app
    wrapped by ``benchmarks.timed_app``, else None)."""
    port = free_port()
    with tempfile.NamedTemporaryFile(suffix=".log") as report:
        if inside:
            env = {**env, "BENCHMARK_APP": app}
            app = "benchmarks.timed_app:app"
        process = serve(app, port, env, report)
        try:
            load(port, 2, connections)  # warm-up: every worker has rendered its templates once
            time.sleep(0.2)
            before_cpu, before = cpu_seconds(process.pid), inside_totals(Path(report.name))
            rate, requests = load(port, seconds, connections)
            time.sleep(0.2)
            total = (cpu_seconds(process.pid) - before_cpu) * 1000 / requests
            after = inside_totals(Path(report.name))
        finally:
            process.terminate()
            process.wait(timeout=30)
    if not inside:
        return rate, total, None
    # Only whole reports between the two readings count (a worker replaced by max_requests starts again at 0).
    counted = [
        (count - before.get(pid, (0, 0.0))[0], spent - before.get(pid, (0, 0.0))[1])
        for pid, (count, spent) in after.items()
    ]
    return rate, total, sum(spent for _, spent in counted) * 1000 / max(1, sum(count for count, _ in counted))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument(
        "--inside", action="store_true", help="also run each app wrapped by benchmarks/timed_app.py: CPU inside the app"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: make benchmark-tools (or apt-get install wrk)")
    env = dict(os.environ)
    hello, hello_cpu, _ = measure("benchmarks.hello_app:app", args.seconds, args.connections, env)
    home, home_cpu, _ = measure("portal:create_app()", args.seconds, args.connections, env)
    print(f"{'app':<24}{'req/s':>10}{'CPU ms/req':>12}")
    print(f"{'bare Flask hello':<24}{hello:>10.0f}{hello_cpu:>12.2f}")
    print(f"{'portal home page':<24}{home:>10.0f}{home_cpu:>12.2f}")
    print(f"{'ratio home/hello':<24}{home / hello:>10.2f}{hello_cpu / home_cpu:>12.2f}")
    if args.inside:
        print(f"\n{'wrapped by timed_app':<24}{'CPU ms/req':>12}{'in the app':>12}{'around it':>12}")
        for name, app in (
            ("bare Flask hello", "benchmarks.hello_app:app"),
            ("portal home page", "portal:create_app()"),
        ):
            _, total, inside = measure(app, args.seconds, args.connections, env, inside=True)
            print(f"{name:<24}{total:>12.2f}{inside:>12.2f}{total - inside:>12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
