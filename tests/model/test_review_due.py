"""When a map is due for review: calendar months, clamped to the end of shorter months."""

from __future__ import annotations

import datetime as dt

import pytest

import journeytools as jt


def workshop(reviewed: str | None, every: int = 6, date: str | None = None) -> jt.Workshop:
    meta = {"title": "T", "stages": [{"id": "a"}], "review_every_months": every}
    if reviewed is not None:
        meta["reviewed"] = reviewed
    if date is not None:
        meta["date"] = date
    return jt.Workshop(meta, {})


@pytest.mark.parametrize("reviewed, every, due", [
    ("2026-08-31", 6, "2027-02-28"),   # no 31 February: the last day of the month
    ("2027-08-31", 6, "2028-02-29"),   # … which is the 29th in a leap year
    ("2099-08-31", 6, "2100-02-28"),   # 2100 is not a leap year
    ("2026-03-31", 1, "2026-04-30"),
    ("2026-11-30", 3, "2027-02-28"),   # across the year end
    ("2026-12-15", 1, "2027-01-15"),   # December + 1: January of the next year
    ("2026-01-31", 12, "2027-01-31"),
    ("2026-05-02", 25, "2028-06-02"),  # more than two years on
    ("2026-11-02", 6, "2027-05-02"),
])
def test_review_due_adds_calendar_months(reviewed: str, every: int, due: str) -> None:
    assert workshop(reviewed, every).review_due() == dt.date.fromisoformat(due)


def test_staleness_uses_the_clamped_date() -> None:
    ws = workshop("2026-08-31")
    assert not ws.is_stale(dt.date(2027, 2, 28))
    assert ws.is_stale(dt.date(2027, 3, 1))


def test_review_due_falls_back_to_the_workshop_date_and_to_none() -> None:
    assert workshop(None, date="2027-08-31").review_due() == dt.date(2028, 2, 29)
    assert workshop(None).review_due() is None
    assert not workshop(None).is_stale(dt.date(2100, 1, 1))
