"""A stand-in for Rasa's REST webhook that, like the real assistant, calls back into the portal in the middle of a
turn: each turn first asks the portal's API (what Rasa's action server does through ``PORTAL_URL``), then answers.

``together`` makes each turn wait (at most ``together_timeout`` seconds) until that many turns are in flight before
it calls back: with ``together`` equal to the web pool's threads, every web thread is known to be waiting on
"Rasa" when the callbacks are made — the moment the old single-pool portal starved.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class StandIn:
    url: str  # the webhook's base URL: the portal's RASA_URL
    callback_url: str = ""  # what each turn asks the portal for (set once the portal is up: its ports come later)
    token: str = ""  # the service token the callbacks carry, as the action server's do
    together: int = 1
    together_timeout: float = 10.0
    callbacks: list[int] = field(default_factory=list)  # the portal's HTTP status for each callback, 0 if none
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _barrier: threading.Barrier | None = None

    def call_back(self) -> int:
        if self._barrier is not None:
            try:
                self._barrier.wait(self.together_timeout)
            except threading.BrokenBarrierError:
                self._barrier.reset()
        request = urllib.request.Request(self.callback_url, headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        with self._lock:
            self.callbacks.append(status)
        return status


@contextmanager
def rasa_stand_in(together: int = 1) -> Iterator[StandIn]:
    """Serve the stand-in on a free 127.0.0.1 port until the block ends; set ``callback_url`` and ``token`` before
    the first turn."""
    stand_in = StandIn("", together=together)
    if together > 1:
        stand_in._barrier = threading.Barrier(together)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            status = stand_in.call_back()
            reply = [{"recipient_id": body["sender"], "text": f"收到：{body['message']}（政策查询 {status}）"}]
            data = json.dumps(reply, ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()
