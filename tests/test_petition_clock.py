"""The statutory clock of 《信访工作条例》(2022): calendar days from the day after, in China time, a deadline on a
non-working day moved to the next working day, provisional for a year the holiday calendar lacks."""

from __future__ import annotations

import datetime as dt

from portal.petitions import clock

CN = clock.CHINA


def at(y, m, d, h=12):
    return dt.datetime(y, m, d, h, tzinfo=CN)


def test_fifteen_days_from_the_day_after_receipt_on_a_working_day():
    # received Wed 2026-03-04: day 15 is Thu 2026-03-19, a working day
    due = clock.acknowledge_by(at(2026, 3, 4))
    assert due == clock.Deadline(dt.date(2026, 3, 19), provisional=False)


def test_china_time_decides_the_day_of_receipt():
    # 23:30 UTC on 3 March is 07:30 on 4 March in Chongqing
    late = dt.datetime(2026, 3, 3, 23, 30, tzinfo=dt.timezone.utc)
    assert clock.acknowledge_by(late).date == dt.date(2026, 3, 19)


def test_a_deadline_on_a_weekend_moves_to_monday():
    # received Fri 2026-03-06: day 15 is Sat 2026-03-21 → Mon 2026-03-23
    assert clock.acknowledge_by(at(2026, 3, 6)).date == dt.date(2026, 3, 23)


def test_a_deadline_in_the_national_day_holiday_moves_past_it():
    # received 2026-09-17: day 15 is 2026-10-02, inside the National Day holiday (1–7 October 2026)
    due = clock.acknowledge_by(at(2026, 9, 17))
    assert due.date > dt.date(2026, 10, 7) and not due.provisional
    assert clock.working_day(due.date) == (True, True)


def test_a_make_up_working_day_counts_as_a_working_day():
    # Sat 2026-10-10 is a make-up working day in the 2026 calendar
    assert clock.working_day(dt.date(2026, 10, 10)) == (True, True)
    assert clock.deadline(dt.date(2026, 9, 25), 15).date == dt.date(2026, 10, 10)


def test_a_year_the_calendar_lacks_counts_weekends_only_and_is_provisional():
    assert not clock.covered(2027)
    # accepted 2026-12-01: day 60 is Sat 2027-01-30 → Mon 2027-02-01, provisional
    due = clock.resolve_by(at(2026, 12, 1))
    assert due == clock.Deadline(dt.date(2027, 2, 1), provisional=True)
    assert clock.deadline(dt.date(2027, 3, 1), 2) == clock.Deadline(dt.date(2027, 3, 3), True)


def test_an_extension_adds_at_most_thirty_days_to_resolve():
    assert clock.EXTENSION_MAX_DAYS == 30
    plain, extended = clock.resolve_by(at(2026, 3, 2)), clock.resolve_by(at(2026, 3, 2), 30)
    # day 60 is 2026-05-01, in the Labour Day holiday (1–5 May) → 6 May; day 90 is Sun 2026-05-31 → 1 June
    assert plain.date == dt.date(2026, 5, 6) and extended.date == dt.date(2026, 6, 1)


def test_days_left_in_china_time():
    assert clock.days_left(dt.date(2026, 3, 19), at(2026, 3, 16)) == 3
    assert clock.days_left(dt.date(2026, 3, 19), at(2026, 3, 20)) == -1
