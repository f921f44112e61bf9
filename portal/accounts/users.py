"""Staff sign-in: argon2id passwords, a TOTP code at every sign-in (a code is never accepted twice), lockout after
repeated failures, one-time recovery codes, and the admin's reset of a second factor. Every attempt is audited."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..applications.sealing import Sealer
from ..db.models import RecoveryCode, StaffUser
from .permissions import Staff, parse_roles

ISSUER = "大足区助残服务门户"
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
RECOVERY_CODES = 8
PASSWORD_MIN = 12
_hasher = PasswordHasher()  # argon2id, the library's recommended parameters


class AccountError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: ``staff`` when it succeeded; ``code`` says why not, or ``enrol``."""

    staff: Staff | None
    code: str
    epoch: int = 0


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime | None) -> datetime | None:
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def as_staff(user: StaffUser) -> Staff:
    return Staff(user.id, user.username, parse_roles(user.roles), user.scope)


class Accounts:
    def __init__(self, session: Session, sealer: Sealer, now: Callable[[], datetime] = utcnow) -> None:
        self.session, self.sealer, self.now = session, sealer, now

    def get(self, username: str) -> StaffUser | None:
        return self.session.scalar(select(StaffUser).where(StaffUser.username == username))

    def create(self, username: str, password: str, roles: list[str], scope: str | None, actor: str,
               enrolled: bool = True, display_name: str | None = None) -> tuple[StaffUser, str, list[str]]:  # fmt: skip
        """A new account, its TOTP enrolment URI and its recovery codes (both shown once)."""
        if not username or len(username) > 40 or not username.replace("_", "").replace(".", "").isalnum():
            raise AccountError("username")
        if self.get(username) is not None:
            raise AccountError("username_taken")
        if len(password) < PASSWORD_MIN:
            raise AccountError("password_short")
        secret = pyotp.random_base32()
        user = StaffUser(
            username=username, display_name=display_name or username, password_hash=_hasher.hash(password),
            totp_secret=self.sealer.seal_json(secret), enrolled=enrolled, roles=",".join(sorted(set(roles))),
            scope=scope, active=True, failed_attempts=0, last_totp_step=0, session_epoch=0,
        )  # fmt: skip
        self.session.add(user)
        self.session.flush()
        codes = self._new_recovery_codes(user)
        audit.record(self.session, actor, "account.created", username, None, f"roles={user.roles} scope={scope}")
        self.session.commit()
        return user, self.enrolment_uri(user), codes

    def enrolment_uri(self, user: StaffUser) -> str:
        return pyotp.TOTP(self._secret(user)).provisioning_uri(name=user.username, issuer_name=ISSUER)

    def _secret(self, user: StaffUser) -> str:
        return self.sealer.open_json(user.totp_secret or "")

    def _new_recovery_codes(self, user: StaffUser) -> list[str]:
        for old in self.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
            self.session.delete(old)
        codes = ["-".join(secrets.token_hex(2) for _ in range(3)) for _ in range(RECOVERY_CODES)]
        for code in codes:
            self.session.add(RecoveryCode(user_id=user.id, code_hash=_hasher.hash(code)))
        return codes

    def sign_in(self, username: str, password: str, code: str, origin: str | None) -> SignIn:
        """Check the password, then the TOTP code (or a recovery code). The same answer for an unknown user and a
        wrong password; a locked account says so and when it opens again."""
        user = self.get(username.strip())
        now = self.now()
        if user is None or not user.active:
            _hasher.hash(password or "x")  # the same work as a real check: no timing difference
            audit.record(self.session, f"unknown:{username[:40]}", "signin.failed", None, origin, "no such account")
            self.session.commit()
            return SignIn(None, "wrong")
        locked = _aware(user.locked_until)
        if locked and locked > now:
            audit.record(self.session, f"staff:{user.username}", "signin.refused_locked", None, origin)
            self.session.commit()
            return SignIn(None, "locked")
        if not self._password_ok(user, password) or (user.enrolled and not self._second_factor_ok(user, code)):
            user.failed_attempts += 1
            if user.failed_attempts >= MAX_FAILURES:
                user.locked_until, user.failed_attempts = now + LOCKOUT, 0
                audit.record(self.session, f"staff:{user.username}", "signin.locked", None, origin)
            audit.record(self.session, f"staff:{user.username}", "signin.failed", None, origin)
            self.session.commit()
            return SignIn(None, "locked" if user.locked_until and _aware(user.locked_until) > now else "wrong")
        user.failed_attempts, user.locked_until = 0, None
        if not user.enrolled:
            self.session.commit()
            return SignIn(as_staff(user), "enrol", user.session_epoch)
        audit.record(self.session, f"staff:{user.username}", "signin", None, origin)
        self.session.commit()
        return SignIn(as_staff(user), "ok", user.session_epoch)

    def _password_ok(self, user: StaffUser, password: str) -> bool:
        try:
            _hasher.verify(user.password_hash, password or "")
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return True

    def _second_factor_ok(self, user: StaffUser, code: str) -> bool:
        code = (code or "").replace(" ", "").strip()
        if code.isdigit() and len(code) == 6:
            totp = pyotp.TOTP(self._secret(user))
            now = self.now()
            for drift in (0, -1, 1):  # one step of clock drift either way
                step = int(now.timestamp()) // 30 + drift
                if step > user.last_totp_step and secrets.compare_digest(totp.at(step * 30), code):
                    user.last_totp_step = step  # never the same code (or an older one) again
                    return True
            return False
        for recovery in self.session.scalars(
            select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        ):
            try:
                _hasher.verify(recovery.code_hash, code.lower())
            except (VerificationError, InvalidHashError):
                continue
            recovery.used_at = self.now()
            return True
        return False

    def finish_enrolment(self, user_id: int, code: str, origin: str | None) -> bool:
        user = self.session.get(StaffUser, user_id)
        if user is None or user.enrolled or not self._second_factor_ok(user, code):
            return False
        user.enrolled = True
        audit.record(self.session, f"staff:{user.username}", "account.enrolled", None, origin)
        audit.record(self.session, f"staff:{user.username}", "signin", None, origin)
        self.session.commit()
        return True

    def session_valid(self, user_id: int, epoch: int) -> Staff | None:
        """The member of staff of a session, if the account is still active and not signed out everywhere since."""
        user = self.session.get(StaffUser, user_id)
        if user is None or not user.active or user.session_epoch != epoch or not user.enrolled:
            return None
        return as_staff(user)

    def sign_out_everywhere(self, user_id: int, origin: str | None) -> None:
        user = self.session.get(StaffUser, user_id)
        if user is not None:
            user.session_epoch += 1
            audit.record(self.session, f"staff:{user.username}", "signout.everywhere", None, origin)
            self.session.commit()

    def reset_second_factor(self, username: str, actor: str, origin: str | None) -> str:
        """A new secret (the old one stops working at once), not enrolled until the next sign-in; returns nothing
        secret to the admin: the member of staff enrols at their next sign-in."""
        user = self.get(username)
        if user is None:
            raise AccountError("no_such_account")
        user.totp_secret = self.sealer.seal_json(pyotp.random_base32())
        user.enrolled, user.last_totp_step = False, 0
        user.session_epoch += 1
        self._new_recovery_codes(user)
        audit.record(self.session, actor, "account.second_factor_reset", username, origin)
        self.session.commit()
        return username

    def new_recovery_codes(self, user_id: int, origin: str | None) -> list[str]:
        user = self.session.get(StaffUser, user_id)
        if user is None:
            raise LookupError(f"no staff account {user_id}")
        codes = self._new_recovery_codes(user)
        audit.record(self.session, f"staff:{user.username}", "account.recovery_codes_renewed", None, origin)
        self.session.commit()
        return codes

    def all(self) -> list[StaffUser]:
        return list(self.session.scalars(select(StaffUser).order_by(StaffUser.username)))
