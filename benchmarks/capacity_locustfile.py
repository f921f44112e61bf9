"""The workloads of ``benchmarks/capacity.py`` (Locust users). Not run on its own: capacity.py starts the portal,
makes the staff accounts and passes them in ``CAPACITY_STAFF`` (``username:totp-secret,…``)."""

from __future__ import annotations

import itertools
import os
import random
import re
import threading

import pyotp
from locust import HttpUser, between, task

from tests.support import files, people

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
QUESTION = re.compile(r'action="(/eligibility/questions/[a-z_]+)"')
FACT = re.compile(r'href="/apply/draft/facts/([a-z_]+)"')
CASE = re.compile(r'href="(/staff/applications/[A-Z0-9-]+)"')
REFERENCE = re.compile(r'<strong class="reference">([A-Z0-9-]+)</strong>')
# What a browser says of its own submits (the portal refuses cross-site forms: portal/web/cross_site.py).
BROWSER = {"Sec-Fetch-Site": "same-origin", "Accept-Encoding": "br, gzip"}
SEARCHES = ["护理补贴", "生活补贴", "残疾证", "康复", "就业", "盲人", "助听器", "轮椅", "低保", "教育"]
PHOTO = files.noisy_jpeg(1)
submitted: list[tuple[str, str]] = []  # (reference, id number) of applications sent, for status look-ups
_sequence = itertools.count()
_lock = threading.Lock()


class Resident(HttpUser):
    """A resident: reads, searches, checks, chats (assistant down: the degraded answer), looks up, applies."""

    weight = 9
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers.update(BROWSER)
        self.policies = [
            link
            for link in re.findall(r'href="(/policies/[a-z0-9-]+)"', self.client.get("/policies").text)
            if link != "/policies"
        ] or ["/policies"]

    def token(self, html: str) -> str:
        found = TOKEN.search(html)
        return found.group(1) if found else ""

    def post(self, path: str, data: dict, html: str = "", **kwargs):  # type: ignore[no-untyped-def]
        return self.client.post(path, data={"csrf_token": self.token(html), **data}, **kwargs)

    @task(6)
    def home(self) -> None:
        self.client.get("/")

    @task(5)
    def search(self) -> None:
        self.client.get(f"/search?q={random.choice(SEARCHES)}", name="/search?q=…")

    @task(5)
    def policy(self) -> None:
        self.client.get(random.choice(self.policies), name="/policies/…")

    @task(2)
    def checker(self) -> None:
        page = self.client.get("/eligibility").text
        page = self.post("/eligibility/start", {"benefit": "nursing-subsidy"}, page).text
        for _ in range(8):
            found = QUESTION.search(page)
            if not found:
                break
            name = found.group(1).rsplit("/", 1)[1]
            answer = people.NURSING_FACTS.get(name, "no")
            page = self.post(found.group(1), {"answer": answer}, page, name="/eligibility/questions/…").text

    @task(2)
    def chat(self) -> None:
        page = self.client.get("/chat").text
        self.post("/chat", {"message": "护理补贴怎么申请"}, page)

    @task(2)
    def status(self) -> None:
        page = self.client.get("/status").text
        with _lock:
            known = random.choice(submitted) if submitted else None
        reference, pid = known or ("A234-5678", people.id_number("19520314"))
        with self.post("/status", {"reference": reference, "id_number": pid}, page, catch_response=True) as response:
            if response.status_code == 400 and known is None:
                response.success()  # "no application matches": the polite answer to an unknown reference

    @task(1)
    def apply(self) -> None:
        pid = people.id_number("19520314", sequence=f"{next(_sequence) % 1000:03d}")
        page = self.client.get("/apply/nursing-subsidy/privacy").text
        page = self.post("/apply/nursing-subsidy/privacy", {"general": "y", "sensitive": "y"}, page).text
        found = REFERENCE.findall(page)
        for step, data in (
            ("who", {"who": "self"}),
            ("name", {"name": "李秀英"}),
            ("id-number", {"id_number": pid}),
            ("phone", {"phone": "13800001234"}),
            ("address", {"town": "longgang", "village": "龙岗社区", "address": "3组12号"}),
        ):
            page = self.post(f"/apply/draft/details/{step}", data, page, name="/apply/draft/details/…").text
        for _ in range(12):
            page = self.client.get("/apply/draft").text
            fact = FACT.search(page)
            if not fact:
                break
            answer = people.NURSING_FACTS.get(fact.group(1), [])
            self.post(f"/apply/draft/facts/{fact.group(1)}", {"answer": answer}, page, name="/apply/draft/facts/…")
        self.post(
            "/apply/draft/details/certificate-number",
            {"certificate_number": people.certificate_number(pid)},
            page,
            name="/apply/draft/details/…",
        )
        self.post(
            "/apply/draft/details/bank",
            {"bank_name": "农商行", "bank_account": "622848001234567890"},
            page,
            name="/apply/draft/details/…",
        )
        for document in ("identity", "certificate"):
            page = self.client.get("/apply/draft/documents").text
            self.client.post(
                f"/apply/draft/documents/{document}",
                data={"csrf_token": self.token(page)},
                files=[("files", ("照片.jpg", PHOTO, "image/jpeg"))],
                name="/apply/draft/documents/… (1 MB photo)",
            )
        page = self.client.get("/apply/draft/check").text
        done = self.post("/apply/draft/check", {"true_and_complete": "y"}, page)
        if found and done.url.endswith("/apply/draft/done"):
            with _lock:
                submitted.append((found[0], pid))


_accounts = itertools.cycle(
    [tuple(item.split(":", 1)) for item in os.environ.get("CAPACITY_STAFF", "").split(",") if item]
)


class Staff(HttpUser):
    """A town clerk: the queue, then case pages."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.client.headers.update(BROWSER)
        with _lock:
            username, secret = next(_accounts)
        page = self.client.get("/staff/sign-in").text
        with self.client.post(
            "/staff/sign-in",
            data={
                "csrf_token": (TOKEN.search(page) or [None, ""])[1],
                "username": username,
                "password": os.environ["CAPACITY_STAFF_PASSWORD"],
                "code": pyotp.TOTP(secret).now(),
            },
            catch_response=True,
        ) as response:
            if not response.url.endswith("/staff"):
                response.failure(f"sign-in refused for {username}")

    @task(2)
    def queue(self) -> None:
        page = self.client.get("/staff").text
        cases = CASE.findall(page)
        if cases:
            self.client.get(random.choice(cases), name="/staff/applications/…")

    @task(1)
    def case(self) -> None:
        with _lock:
            known = random.choice(submitted) if submitted else None
        if known:
            self.client.get(f"/staff/applications/{known[0]}", name="/staff/applications/…")
