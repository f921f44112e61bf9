"""Chat under load: Rasa's REST webhook directly against the portal's /api/v1/chat, in the same run, at several
numbers of residents talking at once; Rasa's memory; optionally the model's training time.

    .venv/bin/python benchmarks/chat_bench.py [--residents 1,10,30] [--messages 5] [--no-limits] [--train]
                                              [--single-pool]

Starts the whole product on free 127.0.0.1 ports in the topology ``make run`` starts (tests/support/stack.py:
the web pool, the service pool, the action server calling the service pool, Rasa). At each level N, N residents
each hold a conversation of ``--messages`` turns — a turn is sent when the previous answer has come back — first
straight to Rasa, then through the portal. Printed per path: p50 and p95 latency, degraded answers (for Rasa
directly: turns it answered with nothing, which the portal would have answered degraded), errors (no HTTP 200
answer, including refusals by the rate limits), messages per second, and the ratio of the p95s (goal ≤ 1.2).
Also the portal API calls the action server made meanwhile (the service pool's access log), so a run that never
called back into the portal does not pass for a good one.

``--no-limits`` sets RATELIMIT_ENABLED=false (by default the limits are on: every resident comes from 127.0.0.1,
as behind a 村委 office's connection). ``--single-pool`` points the action server at the web pool instead — the
topology before issue 12 — to show what the service pool changes. Every loop is bounded: levels × residents ×
messages requests per path, each with a 30 s timeout.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.stack import ASSISTANT, Stack, running_stack

# One resident's conversation; resident i follows SCRIPTS[i % len(SCRIPTS)]. Most turns run an action that asks
# the portal's API (a policy record, its documents, its office, the eligibility rules).
SCRIPTS = [
    ["你好", "护理补贴是啥子", "护理补贴咋个申请", "要带啥子材料", "谢谢"],
    ["残疾证咋个办", "要带什么材料", "找哪个部门", "轮椅怎么申请", "再见"],
    ["我老汉能领护理补贴不", "一级", "户口在大足", "有残疾证", "谢谢"],
    ["低保要带什么材料", "低保咋个办理", "12385是什么", "我想投诉", "再见"],
    ["how do I apply for the living allowance", "what documents do I need", "wheelchair", "who do I ask", "thanks"],
]
TIMEOUT_S = 30
MAX_RESIDENTS = 200  # the benchmark's own bound: it loads only 127.0.0.1
PAGE_VIEWS_MAX = 2000
WARM_UP_TURNS = 12


@dataclass
class Run:
    """The turns of one path at one level."""

    path: str
    residents: int
    latencies_ms: list[float] = field(default_factory=list)
    degraded: int = 0
    errors: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, latency_ms: float | None, degraded: bool = False) -> None:
        with self.lock:
            if latency_ms is None:
                self.errors += 1
            else:
                self.latencies_ms.append(latency_ms)
                self.degraded += degraded

    @property
    def messages(self) -> int:
        return len(self.latencies_ms) + self.errors


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def post(url: str, body: dict) -> tuple[float | None, object]:
    """(milliseconds, decoded answer), or (None, reason) when there was no HTTP 200 answer."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            payload = json.loads(response.read())
    except urllib.error.HTTPError as error:
        return None, f"HTTP {error.code}"
    except (OSError, ValueError, http.client.HTTPException) as error:
        return None, type(error).__name__
    return (time.perf_counter() - started) * 1000, payload


def converse(run: Run, url: str, sender: str, script: list[str], via_portal: bool) -> None:
    for message in script:
        elapsed, payload = post(url, {"sender": sender, "message": message})
        if elapsed is None:
            run.record(None)
        elif via_portal:
            run.record(elapsed, degraded=bool(isinstance(payload, dict) and payload.get("degraded")))
        else:
            run.record(elapsed, degraded=not payload)  # Rasa said nothing: the portal would answer degraded


def view_pages(url: str, stop: threading.Event, latencies_ms: list[float], views: int = PAGE_VIEWS_MAX) -> None:
    """One visitor reading pages while the residents talk (at most ``views``, 0.2 s apart)."""
    for _ in range(views):
        if stop.is_set():
            return
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
                response.read()
            latencies_ms.append((time.perf_counter() - started) * 1000)
        except (OSError, http.client.HTTPException):
            latencies_ms.append(float("inf"))
        stop.wait(0.2)


def measure(
    stack: Stack, residents: int, messages: int, via_portal: bool, tag: str, pages: list[float] | None = None
) -> Run:
    """Every resident's conversation at once; with ``pages``, a page visitor meanwhile."""
    path = "portal /api/v1/chat" if via_portal else "Rasa webhook (direct)"
    url = f"{stack.portal_url}/api/v1/chat" if via_portal else f"{stack.rasa_url}/webhooks/rest/webhook"
    run = Run(path, residents)
    scripts = [(SCRIPTS[i % len(SCRIPTS)] * messages)[:messages] for i in range(residents)]
    stop = threading.Event()
    visitor = threading.Thread(target=view_pages, args=(f"{stack.portal_url}/policies/dibao", stop, pages), daemon=True)
    if pages is not None:
        visitor.start()
    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(residents) as pool:
            side = "p" if via_portal else "r"
            futures = [
                pool.submit(converse, run, url, f"{tag}-{side}{residents}-{i}", script, via_portal)
                for i, script in enumerate(scripts)
            ]
            for future in futures:
                future.result()  # a bug in the benchmark itself surfaces here instead of shrinking the counts
        run.seconds = time.perf_counter() - started
    finally:
        stop.set()
    if pages is not None:
        visitor.join()
    return run


def action_calls(stack: Stack, pool: str) -> int:
    """API requests other than chat turns that ``pool`` ("service" or "portal") has answered so far (its access
    log): the action server's calls."""
    log = stack.logs[pool].read_text(errors="replace")
    return sum(
        1
        for line in log.splitlines()
        if ('"GET /api/v1/' in line or '"POST /api/v1/' in line) and "/api/v1/chat" not in line
    )


def rss_mb(pid: int) -> float:
    total = 0
    for child in [
        pid,
        *map(int, subprocess.run(["pgrep", "-g", str(pid)], capture_output=True, text=True).stdout.split()),
    ]:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total = max(total, int(line.split()[1]))
        except FileNotFoundError:
            continue
    return total / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", default="1,10,30", help="levels: residents talking at once")
    parser.add_argument("--messages", type=int, default=5, help="messages per resident")
    parser.add_argument("--no-limits", action="store_true", help="RATELIMIT_ENABLED=false")
    parser.add_argument("--single-pool", action="store_true", help="the action server calls the web pool")
    parser.add_argument("--train", action="store_true", help="also time a forced training of the model")
    args = parser.parse_args()
    levels = [int(level) for level in args.residents.split(",")]
    if not all(0 < level <= MAX_RESIDENTS for level in levels) or not 0 < args.messages <= 50:
        parser.error(f"residents must be 1–{MAX_RESIDENTS}, messages 1–50")
    if args.train:
        started = time.perf_counter()
        subprocess.run(["bash", str(ASSISTANT / "scripts" / "train.sh"), "--force"], check=True)
        print(f"model training (train.sh --force): {time.perf_counter() - started:.1f} s")
    portal_env = {"LOG_LEVEL": "info", **({"RATELIMIT_ENABLED": "false"} if args.no_limits else {})}
    tag = uuid.uuid4().hex[:6]
    load_before = os.getloadavg()
    rows: list[tuple[Run, Run, int, list[float]]] = []
    with (
        tempfile.TemporaryDirectory() as workdir,
        running_stack(Path(workdir), portal_env=portal_env, actions_to_web_pool=args.single_pool) as stack,
    ):
        # Not counted: Rasa's first turns load lazily, and each portal worker sets itself up on its first requests.
        for warm_up in range(WARM_UP_TURNS):
            message = SCRIPTS[warm_up % len(SCRIPTS)][0]
            post(f"{stack.rasa_url}/webhooks/rest/webhook", {"sender": f"{tag}-warm-{warm_up}", "message": message})
            post(f"{stack.portal_url}/api/v1/chat", {"sender": f"{tag}-warm-{warm_up}", "message": message})
            view_pages(f"{stack.portal_url}/policies/dibao", threading.Event(), [], views=1)
        called = "portal" if args.single_pool else "service"
        for level in levels:
            before = action_calls(stack, called)
            rasa = measure(stack, level, args.messages, via_portal=False, tag=tag)
            pages: list[float] = []
            portal = measure(stack, level, args.messages, via_portal=True, tag=tag, pages=pages)
            rows.append((rasa, portal, action_calls(stack, called) - before, pages))
        rasa_memory = rss_mb(stack.processes["rasa"].pid)
    load_after = os.getloadavg()
    limits = "off (RATELIMIT_ENABLED=false)" if args.no_limits else "on (every resident from 127.0.0.1)"
    topology = "single pool (before issue 12)" if args.single_pool else "web pool + service pool (make run)"
    print(f"topology: {topology}; rate limits {limits}; {args.messages} messages per resident")
    header = ("residents", "path", "messages", "p50 ms", "p95 ms", "degraded", "errors", "msg/s")
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for rasa, portal, _calls, _pages in rows:
        for run in (rasa, portal):
            print(
                f"| {run.residents} | {run.path} | {run.messages} | {statistics.median(run.latencies_ms or [0]):.0f}"
                f" | {percentile(run.latencies_ms, 95):.0f} | {run.degraded} | {run.errors}"
                f" | {run.messages / run.seconds:.1f} |"
            )
    for rasa, portal, calls, pages in rows:
        ratio = percentile(portal.latencies_ms, 95) / percentile(rasa.latencies_ms, 95)
        print(
            f"{rasa.residents} residents: portal p95 / Rasa p95 = {ratio:.2f} (goal ≤ 1.2); the action server called"
            f" the portal's API {calls} times; a page meanwhile: p50 {statistics.median(pages or [0]):.0f} ms,"
            f" p95 {percentile(pages, 95):.0f} ms ({len(pages)} views)"
        )
    print(f"Rasa server RSS after the run: {rasa_memory:.0f} MB")
    # The machine may be shared: figures taken beside other work are slower on both paths, and Rasa may then take
    # longer than RASA_TIMEOUT for some turns however few are in flight.
    print(f"load average (1 min) before the stack started: {load_before[0]:.2f}, at the end: {load_after[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
