"""A resident's whole application, over HTTP against a running portal (gunicorn), as a browser without JavaScript
sends it: consent, the details (ID number, phone, bank account), the facts, two documents with files, the
declaration. For the kill test and the log test."""

from __future__ import annotations

import re

import requests

from . import files, people

TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
TIMEOUT = 20


class Journey:
    def __init__(self, url: str, id_number: str, phone: str = "13800001234", account: str = "6228480012345678901"):
        self.url, self.id_number, self.phone, self.account = url, id_number, phone, account
        self.http = requests.Session()
        self.token = ""

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.url + path, timeout=TIMEOUT, allow_redirects=False)

    def post(self, path: str, data: dict, files_: dict | None = None) -> requests.Response:
        if not self.token:  # a program sends no Sec-Fetch-Site: once it has a session, the token is checked
            match = TOKEN_RE.search(self.get("/apply/nursing-subsidy/privacy").text)
            if match:
                self.token = match.group(1)
            else:
                assert "session" not in self.http.cookies, "a session, but no CSRF token on the page"
        response = self.http.post(
            self.url + path,
            data={"csrf_token": self.token, **data},
            files=files_,
            timeout=TIMEOUT,
            allow_redirects=False,
        )
        assert response.status_code == 302, (path, response.status_code, response.text[:500])
        return response

    def apply(self) -> tuple[str, str]:
        """File one application; returns (reference, access code) once the portal has said it is submitted."""
        self.post("/apply/nursing-subsidy/privacy", {"general": "y", "sensitive": "y"})
        page = self.get("/apply/draft/code")
        found = re.findall(r'<strong class="reference">([A-Z0-9-]+)</strong>', page.text)
        assert len(found) == 2, ("/apply/draft/code", page.status_code, page.text[:500])  # an error page: no draft
        reference, code = found
        self.post("/apply/draft/details/who", {"who": "self"})
        self.post("/apply/draft/details/name", {"name": "李秀英"})
        self.post("/apply/draft/details/id-number", {"id_number": self.id_number})
        self.post("/apply/draft/details/phone", {"phone": self.phone})
        self.post("/apply/draft/details/address", {"town": "longgang", "village": "龙岗社区", "address": "3组12号"})
        answers = {**people.NURSING_FACTS, "exclusions": []}
        for _ in range(12):
            match = re.search(r'href="/apply/draft/facts/([a-z_]+)"', self.get("/apply/draft").text)
            if not match:
                break
            self.post(f"/apply/draft/facts/{match.group(1)}", {"answer": answers[match.group(1)]})
        self.post(
            "/apply/draft/details/certificate-number", {"certificate_number": people.certificate_number(self.id_number)}
        )
        self.post("/apply/draft/details/bank", {"bank_name": "重庆农村商业银行", "bank_account": self.account})
        self.post(
            "/apply/draft/documents/identity", {}, {"files": ("户口簿首页.jpg", files.jpeg_with_gps(), "image/jpeg")}
        )
        self.post("/apply/draft/documents/certificate", {}, {"files": ("残疾证.pdf", files.pdf(), "application/pdf")})
        self.post("/apply/draft/check", {"true_and_complete": "y", "authority": "y"})
        done = self.get("/apply/draft/done")
        assert done.status_code == 200 and reference in done.text, done.text[:500]
        return reference, code


def id_number(n: int) -> str:
    """A different valid ID number for each ``n`` (born on a day of 1950–1959)."""
    return people.id_number(f"195{n % 10}0{1 + n // 10 % 9}{10 + n // 90 % 18}", sequence=f"{n % 1000:03d}")
