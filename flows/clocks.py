"""The procedure's clocks (RULES.md, "The procedure and its clocks"), as pure functions of dates.

All counts are in working days; the day an event happens is day 0.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flows.workdays import ASTANA, WorkCalendar

REGISTRATION_CUTOFF = dt.time(17, 0)  # requests arriving later are registered the next working day
COMPLETENESS_DAYS = 2
RESULT_DAYS = 30
RISK_ASSESSMENT_DAYS = 5
COMPLAINT_SATISFY_DAYS = 3
COMPLAINT_PROVIDER_DAYS = 5
COMPLAINT_AUTHORISED_BODY_DAYS = 15
DUE_SOON_DAYS = 2


@dataclass(frozen=True)
class Pause:
    """The result clock stops while the MFA (or a foreign authority) confirms the guarantee."""

    start: dt.date
    end: dt.date | None  # None: still waiting
    reason: str = "mfa_guarantee_check"


@dataclass(frozen=True)
class Clocks:
    registered_on: dt.date
    completeness_due: dt.date
    result_due: dt.date  # with an open pause: the earliest date, if the answer came today
    paused: bool
    risk_assessment_due: dt.date | None


def registration_date(arrived_at: dt.datetime, calendar: WorkCalendar) -> dt.date:
    """The day a request is registered: the day it arrives if that is a working day and it came
    before 17:00 (Astana time); otherwise the next working day.

    >>> import datetime as dt
    >>> friday_evening = dt.datetime(2026, 3, 20, 17, 5, tzinfo=ASTANA)   # before Nauryz
    >>> registration_date(friday_evening, WorkCalendar())
    datetime.date(2026, 3, 26)
    """
    if arrived_at.tzinfo is None:
        raise ValueError("arrival time without a time zone")
    local = arrived_at.astimezone(ASTANA)
    day = local.date()
    if calendar.is_working_day(day) and local.time() < REGISTRATION_CUTOFF:
        return day
    return calendar.next_working_day(day)


def paused_days(pauses: list[Pause], today: dt.date) -> frozenset[dt.date]:
    """Every calendar day inside a pause (an open pause runs to today)."""
    days: set[dt.date] = set()
    for p in pauses:
        end = p.end or today
        day = p.start
        while day <= end:
            days.add(day)
            day += dt.timedelta(days=1)
    return frozenset(days)


def case_clocks(arrived_at: dt.datetime, calendar: WorkCalendar, *, pauses: list[Pause] = (),
                answers_received_on: dt.date | None = None, today: dt.date | None = None) -> Clocks:
    today = today or dt.datetime.now(ASTANA).date()
    registered = registration_date(arrived_at, calendar)
    skip = paused_days(list(pauses), today)
    return Clocks(
        registered_on=registered,
        completeness_due=calendar.add_working_days(registered, COMPLETENESS_DAYS),
        result_due=calendar.add_working_days(registered, RESULT_DAYS, skip=skip),
        paused=any(p.end is None for p in pauses),
        risk_assessment_due=(calendar.add_working_days(answers_received_on, RISK_ASSESSMENT_DAYS)
                             if answers_received_on else None),
    )


def complaint_clocks(registered_on: dt.date, calendar: WorkCalendar) -> dict[str, dt.date]:
    """A complaint to the provider: satisfied in full within 3 working days (then it need not be
    forwarded), decided within 5; to the authorised body for service quality, within 15."""
    return {
        "satisfy_without_forwarding_by": calendar.add_working_days(registered_on, COMPLAINT_SATISFY_DAYS),
        "provider_decision_due": calendar.add_working_days(registered_on, COMPLAINT_PROVIDER_DAYS),
        "authorised_body_decision_due": calendar.add_working_days(registered_on, COMPLAINT_AUTHORISED_BODY_DAYS),
    }


def due_state(due: dt.date, today: dt.date, calendar: WorkCalendar) -> str:
    """'overdue' after the due date, 'due_soon' within 2 working days of it, else 'on_time'."""
    if today > due:
        return "overdue"
    if calendar.working_days_between(today, due) <= DUE_SOON_DAYS:
        return "due_soon"
    return "on_time"
