"""Kazakhstan's working-day calendar (Labour Code): weekends, public holidays, and the
government's transfers of days off.

Public holidays come from the `holidays` package (it includes the observed-on-Monday days and
some transfers). Transfers that move a day off onto a weekend day make that weekend day a
working day; `holidays` does not list those, so they are configured: an embedded list of known
ones plus a JSON file (REEXPORT_CALENDAR_FILE: {"working_days": [...], "days_off": [...]}) for
the government's yearly decree.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

ASTANA = ZoneInfo("Asia/Almaty")  # one time zone, UTC+5, for all of Kazakhstan since 1 March 2024

# Weekend days worked in exchange for a day off elsewhere (Government resolutions).
KNOWN_WORKING_WEEKEND_DAYS = frozenset({
    dt.date(2025, 1, 5),  # Sunday worked for the day off on Friday 3 January 2025
})


@dataclass(frozen=True)
class WorkCalendar:
    working_days: frozenset[dt.date] = KNOWN_WORKING_WEEKEND_DAYS  # weekend days that are worked
    days_off: frozenset[dt.date] = frozenset()  # weekdays that are not (beyond public holidays)
    _holidays: dict = field(default_factory=dict, compare=False, repr=False)

    def _public(self, year: int) -> holidays.HolidayBase:
        if year not in self._holidays:
            self._holidays[year] = holidays.Kazakhstan(years=year)
        return self._holidays[year]

    def holiday_name(self, day: dt.date) -> str | None:
        return self._public(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off or day.weekday() >= 5:
            return False
        return day not in self._public(day.year)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.date, n: int, skip: frozenset[dt.date] = frozenset()) -> dt.date:
        """The date `n` working days after `start` (start itself is day 0); days in `skip`
        (a pause of the clock) are not counted.

        >>> WorkCalendar().add_working_days(dt.date(2026, 3, 20), 2)   # Friday before Nauryz
        datetime.date(2026, 3, 27)
        """
        day = start
        while n > 0:
            day = self.next_working_day(day)
            if day not in skip:
                n -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`."""
        count, day = 0, start
        while day < end:
            day = self.next_working_day(day)
            if day <= end:
                count += 1
        return count


def load_calendar(path: Path | None = None) -> WorkCalendar:
    """The calendar with the transfers from REEXPORT_CALENDAR_FILE (or `path`) added."""
    path = path or (Path(os.environ["REEXPORT_CALENDAR_FILE"]) if os.environ.get("REEXPORT_CALENDAR_FILE") else None)
    if path is None:
        return _default()
    data = json.loads(path.read_text())
    parse = lambda key: frozenset(dt.date.fromisoformat(d) for d in data.get(key, []))  # noqa: E731
    return WorkCalendar(working_days=KNOWN_WORKING_WEEKEND_DAYS | parse("working_days"), days_off=parse("days_off"))


@lru_cache(maxsize=1)
def _default() -> WorkCalendar:
    return WorkCalendar()
