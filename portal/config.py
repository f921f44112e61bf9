"""Configuration from environment variables, with safe embedded defaults.

Nothing here needs a server: SQLite in WAL mode and the search index both live under ``instance/``.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BIND = "127.0.0.1:8000"


def instance_path() -> Path:
    """The instance folder (``PORTAL_INSTANCE_PATH``, else ``instance/``): keys, the SQLite database, uploads and
    the search index live there unless their own setting says otherwise. Every process reads it here, so that
    ``make setup``'s steps, the portal and the job worker agree on it."""
    return Path(os.environ.get("PORTAL_INSTANCE_PATH") or PROJECT_ROOT / "instance")


def content_dir() -> Path:
    """The content folder (``CONTENT_DIR``, else ``content/``)."""
    return Path(os.environ.get("CONTENT_DIR") or PROJECT_ROOT / "content")


def search_index_dir(instance: Path | None = None) -> Path:
    """Where the search index is (``SEARCH_INDEX_DIR``, else ``<instance>/search-index``)."""
    return Path(os.environ.get("SEARCH_INDEX_DIR") or (instance or instance_path()) / "search-index")


def _persisted(instance_path: Path, name: str, make: Callable[[], str]) -> str:
    """The key kept in ``instance/<name>`` (mode 0600), made with ``make`` on first use.

    A generated key that is not persisted would sign every session out (SECRET_KEY) or make sealed data
    unreadable (DATA_KEY) whenever a worker restarts, and gunicorn workers would disagree with each other.
    """
    key_file = instance_path / name
    try:
        return key_file.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    instance_path.mkdir(parents=True, exist_ok=True)
    key = make()
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first
        return key_file.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def _new_data_key() -> str:
    """The key that seals personal data. Back it up apart from the database: without it sealed records cannot be
    read, and together with the database it reveals them."""
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def previous_data_keys(instance_path: Path) -> list[str]:
    """The data keys being rotated away (still opened, never used to seal): ``DATA_KEY_PREVIOUS`` (comma-separated),
    else the lines of ``instance/data_key.previous``; empty when no rotation is under way."""
    raw = os.environ.get("DATA_KEY_PREVIOUS")
    if raw is None:
        try:
            raw = (instance_path / "data_key.previous").read_text(encoding="ascii")
        except FileNotFoundError:
            raw = ""
    return [key.strip() for key in raw.replace(",", "\n").splitlines() if key.strip()]


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_service_bind(bind: str) -> str:
    """Where the service pool listens when ``PORTAL_SERVICE_BIND`` is not set: on 127.0.0.1, at the port after
    ``PORTAL_BIND``'s (so that two portals on one machine, each with its own ``PORTAL_BIND``, do not collide)."""
    host, _, port = bind.rpartition(":")
    if host and port.isdigit() and 0 < int(port) < 65535:
        return f"127.0.0.1:{int(port) + 1}"
    return "127.0.0.1:8001"


def service_bind() -> str:
    """The service pool's address (``PORTAL_SERVICE_BIND``, else derived from ``PORTAL_BIND``)."""
    return os.environ.get("PORTAL_SERVICE_BIND") or default_service_bind(os.environ.get("PORTAL_BIND", DEFAULT_BIND))


def _visitor_lifetimes() -> dict[str, int]:
    """``VISITOR_LIFETIMES``: a JSON object of visitor-data kind → seconds, e.g. ``{"checker": 125}``; unset, each
    kind keeps its own 30 minutes. A test portal uses it to see the 2-minute timeout warning within seconds."""
    raw = os.environ.get("VISITOR_LIFETIMES", "").strip()
    if not raw:
        return {}
    from .db.visitor_store import KINDS

    try:
        lifetimes = json.loads(raw)
    except ValueError as error:
        raise ValueError(f"VISITOR_LIFETIMES is not JSON: {error}") from error
    if not isinstance(lifetimes, dict) or not all(
        name in KINDS and isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0
        for name, seconds in lifetimes.items()
    ):
        raise ValueError(f"VISITOR_LIFETIMES must map kinds ({', '.join(KINDS)}) to positive whole seconds: {raw}")
    return lifetimes


@dataclass(frozen=True)
class Retention:
    """How long a decided application or a closed petition is kept. Unconfirmed: the period is the
    department's (区残联, with the archives rules) to set; until ``DECIDED_CASE_RETENTION_YEARS`` is set by them,
    nothing decided is deleted and the privacy page says the period is not confirmed."""

    years: int | None
    confirmed: bool


def _decided_retention() -> Retention:
    raw = os.environ.get("DECIDED_CASE_RETENTION_YEARS", "").strip()
    if not raw:
        return Retention(None, False)
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"DECIDED_CASE_RETENTION_YEARS must be a whole number of years: {raw}")
    return Retention(int(raw), True)


def trusted_hosts() -> list[str]:
    """``TRUSTED_HOSTS``: the host names this portal answers to, comma-separated (``.example.org`` also matches its
    sub-domains; ports are ignored). Any other ``Host`` header gets a 400, so a forged one cannot steer the links,
    redirects and addresses the portal writes. Unset: ``127.0.0.1,localhost`` (``make run``); a deployment names
    its own, e.g. ``TRUSTED_HOSTS=canzu.dazu.gov.cn``."""
    raw = os.environ.get("TRUSTED_HOSTS", "127.0.0.1,localhost")
    return [host.strip() for host in raw.split(",") if host.strip()]


def is_server_database(url: str) -> bool:
    """Whether ``url`` is a database server (PostgreSQL…) that several hosts may share, rather than a SQLite file."""
    return not url.startswith("sqlite")


def host_local_settings(config: Mapping[str, object], instance_path: Path) -> list[str]:
    """The settings that would keep shared state on one host while the database is shared (a server database):
    keys generated into this host's instance folder (another host would make its own, signing its residents out
    and unable to read what this one sealed) and rate limits counted in this process's memory. Empty on SQLite,
    where there is one host by definition."""
    if not is_server_database(str(config["DATABASE_URL"])):
        return []
    problems = []
    for name in ("SECRET_KEY", "DATA_KEY"):
        key_file = instance_path / name.lower()
        if key_file.exists() and config[name] == key_file.read_text(encoding="ascii").strip():
            problems.append(f"{name} (set it in the environment, the same on every host)")
    if config.get("RATELIMIT_ENABLED") and str(config["RATELIMIT_STORAGE_URI"]).startswith("memory://"):
        problems.append("RATELIMIT_STORAGE_URI (redis://…, one Redis for every host)")
    return problems


def load_config(instance_path: Path) -> dict[str, object]:
    """Read the portal's configuration from the environment."""
    instance_path.mkdir(parents=True, exist_ok=True)
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY")
        or _persisted(instance_path, "secret_key", lambda: secrets.token_hex(32)),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'portal.sqlite3'}",
        "RASA_URL": os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
        "RASA_TIMEOUT": float(os.environ.get("RASA_TIMEOUT", "4")),
        "PORTAL_SERVICE_TOKEN": os.environ.get("PORTAL_SERVICE_TOKEN", ""),
        "PORTAL_FEATURES": os.environ.get("PORTAL_FEATURES", ""),
        "DATA_KEY": os.environ.get("DATA_KEY") or _persisted(instance_path, "data_key", _new_data_key),
        "DATA_KEY_PREVIOUS": previous_data_keys(instance_path),
        "STAFF_IDLE_SECONDS": int(os.environ.get("STAFF_IDLE_SECONDS", "900")),
        "UPLOADS_DIR": Path(os.environ.get("UPLOADS_DIR", instance_path / "uploads")),
        "CONTENT_DIR": content_dir(),
        "SEARCH_INDEX_DIR": search_index_dir(instance_path),
        # "web": the public pool; "service": the pool the action server calls (API only, service token only).
        "PORTAL_POOL": os.environ.get("PORTAL_POOL", "web"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "CHAT_LIMIT_PER_CONVERSATION": os.environ.get("CHAT_LIMIT_PER_CONVERSATION", "12 per minute"),
        "CHAT_LIMIT_PER_ADDRESS": os.environ.get("CHAT_LIMIT_PER_ADDRESS", "300 per minute"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "TRUSTED_HOSTS": trusted_hosts(),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("SESSION_LIFETIME_SECONDS", "1800")),
        "VISITOR_LIFETIMES": _visitor_lifetimes(),
        "DECIDED_CASE_RETENTION": _decided_retention(),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024))),
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead, so a slow reader is not refused
        "BABEL_DEFAULT_LOCALE": "zh_Hans",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "locales"),
    }
