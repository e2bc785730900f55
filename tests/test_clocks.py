"""The procedure's clocks against the real 2025 and 2026 calendars of Kazakhstan."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from flows.workdays import ASTANA, WorkCalendar, load_calendar
from flows.clocks import Pause, case_clocks, complaint_clocks, due_state, registration_date

CAL = WorkCalendar()
D = dt.date


def at(y, m, d, hh=10, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=ASTANA)


def test_nauryz_2026_days_are_not_working_days():
    assert [CAL.is_working_day(D(2026, 3, d)) for d in range(20, 28)] == [
        True, False, False, False, False, False, True, True]  # Fri 20, Sat-Wed off, Thu 26, Fri 27


def test_filing_friday_after_17_before_nauryz_registers_after_the_holidays():
    assert registration_date(at(2026, 3, 20, 17, 5), CAL) == D(2026, 3, 26)


def test_filing_friday_before_17_registers_the_same_day():
    assert registration_date(at(2026, 3, 20, 16, 59), CAL) == D(2026, 3, 20)


def test_filing_in_the_early_morning_of_a_working_day_registers_that_day():
    assert registration_date(at(2026, 4, 1, 6, 30), CAL) == D(2026, 4, 1)


def test_time_zone_is_astana_whatever_the_server_says():
    utc_noon = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.timezone.utc)  # 17:00 in Astana
    assert registration_date(utc_noon, CAL) == D(2026, 4, 2)


def test_new_year_filing_waits_for_the_first_working_day():
    assert registration_date(at(2025, 12, 31, 18, 0), CAL) == D(2026, 1, 5)


def test_a_worked_sunday_counts_as_a_working_day():
    # 2025: the day off moved from Sunday 5 January to Friday 3 January.
    assert not CAL.is_working_day(D(2025, 1, 3))
    assert registration_date(at(2025, 1, 4, 11), CAL) == D(2025, 1, 5)


def test_completeness_check_due_in_two_working_days_over_nauryz():
    clocks = case_clocks(at(2026, 3, 20, 17, 5), CAL, today=D(2026, 3, 26))
    assert clocks.registered_on == D(2026, 3, 26)
    assert clocks.completeness_due == D(2026, 3, 30)


def test_result_due_in_thirty_working_days_over_may_holidays():
    # 1, 7, 11 May 2026 are days off (9 May falls on Saturday, observed on Monday 11).
    assert case_clocks(at(2026, 4, 1), CAL, today=D(2026, 4, 1)).result_due == D(2026, 5, 18)


def test_mfa_pause_moves_the_result_date():
    pause = Pause(D(2026, 4, 6), D(2026, 4, 10))  # five working days waiting for the MFA
    clocks = case_clocks(at(2026, 4, 1), CAL, pauses=[pause], today=D(2026, 5, 1))
    assert clocks.result_due == D(2026, 5, 25) and not clocks.paused


def test_open_pause_marks_the_clock_paused_and_keeps_moving_the_date():
    clocks = case_clocks(at(2026, 4, 1), CAL, pauses=[Pause(D(2026, 4, 6), None)], today=D(2026, 4, 10))
    assert clocks.paused and clocks.result_due == D(2026, 5, 25)


def test_risk_assessment_due_five_working_days_after_answers():
    clocks = case_clocks(at(2026, 4, 1), CAL, answers_received_on=D(2026, 5, 5), today=D(2026, 5, 5))
    assert clocks.risk_assessment_due == D(2026, 5, 14)


def test_complaint_clocks_3_5_15_working_days():
    got = complaint_clocks(D(2025, 12, 12), CAL)  # Friday; 16 December is Independence Day
    assert got == {"satisfy_without_forwarding_by": D(2025, 12, 18),
                   "provider_decision_due": D(2025, 12, 22),
                   "authorised_body_decision_due": D(2026, 1, 8)}  # 1, 2, 7 January off


@pytest.mark.parametrize("today, state", [(D(2026, 5, 19), "overdue"), (D(2026, 5, 14), "due_soon"),
                                          (D(2026, 5, 18), "due_soon"), (D(2026, 5, 12), "on_time")])
def test_due_state_for_the_queue(today, state):
    assert due_state(D(2026, 5, 18), today, CAL) == state


def test_configured_transfers_are_applied(tmp_path, monkeypatch):
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps({"working_days": ["2026-11-28"], "days_off": ["2026-11-27"]}))
    monkeypatch.setenv("REEXPORT_CALENDAR_FILE", str(path))
    cal = load_calendar()
    assert cal.is_working_day(D(2026, 11, 28)) and not cal.is_working_day(D(2026, 11, 27))
    assert cal.is_working_day(D(2025, 1, 5))  # the embedded transfers stay


def test_naive_arrival_times_are_refused():
    with pytest.raises(ValueError):
        registration_date(dt.datetime(2026, 3, 20, 10), CAL)
