"""Chat latency through the portal (/api/v1/chat) against Rasa's REST webhook directly, in the same run;
Rasa's memory; optionally the model's training time.

    .venv/bin/python benchmarks/chat_bench.py [--turns 60] [--train]

Starts the whole product on free local ports (tests/support/stack.py), sends the same messages both ways,
and prints p50/p95 per path and the ratio (goal: portal p95 ≤ 1.2 × Rasa's own p95).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.stack import ASSISTANT, running_stack

MESSAGES = [
    "你好",
    "护理补贴是啥子",
    "残疾证咋个办",
    "轮椅怎么申请",
    "低保要带什么材料",
    "谢谢",
    "how do I apply for the living allowance",
    "我想投诉",
    "12385是什么",
    "再见",
]


def post(url: str, body: dict) -> float:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        payload = json.loads(response.read())
    elapsed = (time.perf_counter() - started) * 1000
    if isinstance(payload, dict) and payload.get("degraded"):
        raise RuntimeError("the portal answered degraded: Rasa did not answer in time")
    return elapsed


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


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
    parser.add_argument("--turns", type=int, default=60, help="chat turns per path")
    parser.add_argument("--train", action="store_true", help="also time a forced training of the model")
    args = parser.parse_args()
    if args.train:
        started = time.perf_counter()
        subprocess.run(["bash", str(ASSISTANT / "scripts" / "train.sh"), "--force"], check=True)
        print(f"model training (train.sh --force): {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as workdir, running_stack(Path(workdir)) as stack:
        rasa_times, portal_times = [], []
        for turn in range(args.turns):
            message = MESSAGES[turn % len(MESSAGES)]
            sender = f"bench-{turn // len(MESSAGES)}"
            rasa_times.append(
                post(f"{stack.rasa_url}/webhooks/rest/webhook", {"sender": "r" + sender, "message": message})
            )
            portal_times.append(post(f"{stack.portal_url}/api/v1/chat", {"sender": "p" + sender, "message": message}))
        rasa_memory = rss_mb(stack.processes["rasa"].pid)
    print(f"{'path':<32}{'turns':>6}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}")
    for name, times in (("Rasa REST webhook (direct)", rasa_times), ("portal /api/v1/chat", portal_times)):
        row = (name, len(times), statistics.median(times), percentile(times, 95), statistics.mean(times))
        print(f"{row[0]:<32}{row[1]:>6}{row[2]:>10.1f}{row[3]:>10.1f}{row[4]:>10.1f}")
    ratio = percentile(portal_times, 95) / percentile(rasa_times, 95)
    print(f"portal p95 / Rasa p95 = {ratio:.2f} (goal ≤ 1.2)")
    print(f"Rasa server RSS after the run: {rasa_memory:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
