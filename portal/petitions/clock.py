"""The statutory clock of 《信访工作条例》(2022), as the specification sets it out.

Days are calendar days counted from the day after the starting event, in China time (Asia/Shanghai). A deadline
that falls on a non-working day (a weekend or a statutory holiday; make-up working days count as working days)
moves to the next working day, using the ``chinesecalendar`` package (pinned in requirements.txt). For a year the
package does not cover yet, weekends alone are counted as non-working days and the deadline is *provisional*: it
is shown as such and the supervisor is told. Nothing here raises for an unknown year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import chinese_calendar

CHINA = ZoneInfo("Asia/Shanghai")
REGULATION = {"zh": "《信访工作条例》（2022年）", "en": "Regulations on Letters and Visits (2022)"}

ACKNOWLEDGE_DAYS = 15  # tell the petitioner whether it is accepted, from receipt
RESOLVE_DAYS = 60  # a written reply, from acceptance
EXTENSION_MAX_DAYS = 30  # one extension, approved by a supervisor
REVIEW_REQUEST_DAYS = 30  # the petitioner may ask for 复查, from the reply
REVIEW_REPLY_DAYS = 30  # the 复查 is answered, from the request


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    provisional: bool  # the holiday calendar does not cover a year this deadline depends on

    def iso(self) -> str:
        return self.date.isoformat()


def china_date(moment: dt.datetime) -> dt.date:
    """The calendar date in China of an aware moment (naive moments are taken as UTC, as SQLite returns them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(CHINA).date()


def working_day(day: dt.date) -> tuple[bool, bool]:
    """(is it a working day, is that known from the holiday calendar)."""
    try:
        return bool(chinese_calendar.is_workday(day)), True
    except (NotImplementedError, KeyError, ValueError):
        return day.weekday() < 5, False


def covered(year: int) -> bool:
    """Whether the holiday calendar knows ``year``."""
    return working_day(dt.date(year, 6, 1))[1]


def deadline(start: dt.date, days: int) -> Deadline:
    """``days`` calendar days after ``start`` (day 1 is the day after), moved to the next working day."""
    day = start + dt.timedelta(days=days)
    provisional = False
    while True:
        is_working, known = working_day(day)
        provisional = provisional or not known
        if is_working:
            return Deadline(day, provisional)
        day += dt.timedelta(days=1)


def acknowledge_by(received: dt.datetime) -> Deadline:
    return deadline(china_date(received), ACKNOWLEDGE_DAYS)


def resolve_by(accepted: dt.datetime, extension_days: int = 0) -> Deadline:
    return deadline(china_date(accepted), RESOLVE_DAYS + extension_days)


def review_request_by(replied: dt.datetime) -> Deadline:
    return deadline(china_date(replied), REVIEW_REQUEST_DAYS)


def review_reply_by(requested: dt.datetime) -> Deadline:
    return deadline(china_date(requested), REVIEW_REPLY_DAYS)


def days_left(due: dt.date, now: dt.datetime) -> int:
    """Whole days from today (China time) to ``due``: 0 on the day, negative when overdue."""
    return (due - china_date(now)).days
