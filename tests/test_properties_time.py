"""Properties of local-time arithmetic across summer time (issue 8).

Europe/Stockholm goes to summer time at 02:00 on the last Sunday of March (the
hour 02:00–03:00 does not exist) and back at 03:00 on the last Sunday of
October (02:00–03:00 happens twice). The examples cluster around those nights
in many years, where the arithmetic can go wrong.
"""

import datetime as dt

import pytest
from django import forms
from django.utils import timezone
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mentorskap.localtime import LOCAL_TZ
from sessions.forms.booking import BookingForm, to_aware
from sessions.models import Meeting
from sessions.models.meeting import DEFAULT_MEETING_LENGTH
from sessions.notifications import reminder_due_times

UTC = dt.UTC
PROPERTIES = settings(max_examples=200, deadline=None)


def last_sunday(year, month):
    day = dt.date(year, month, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def local_instants_for(wall):
    """Every UTC instant whose Stockholm clock shows `wall` (naive): none for
    a skipped time, two for a repeated one. Worked out from the two offsets
    the zone has, independently of how the code under test does it."""
    candidates = {(wall - dt.timedelta(hours=offset)).replace(tzinfo=UTC) for offset in (1, 2)}
    return sorted(moment for moment in candidates if moment.astimezone(LOCAL_TZ).replace(tzinfo=None) == wall)


years = st.integers(min_value=1997, max_value=2100)
change_days = st.builds(last_sunday, years, st.sampled_from([3, 10]))
days_near_changes = st.builds(
    lambda sunday, shift: sunday + dt.timedelta(days=shift), change_days, st.integers(min_value=-3, max_value=3)
)
# As the form's TimeField parses them: whole seconds, and never fold=1 (which
# only code can set; to_aware takes the time as typed).
clock_times = st.times().map(lambda t: t.replace(microsecond=0, fold=0))
# A clock time on the night of a change, where the skipped and repeated hours are.
night_times = st.builds(dt.time, st.integers(min_value=0, max_value=4), st.integers(min_value=0, max_value=59))
walls = st.one_of(
    st.builds(dt.datetime.combine, days_near_changes, clock_times),
    st.builds(dt.datetime.combine, change_days, night_times),
)
# Meeting starts as stored: UTC instants within a few days either side of a change.
starts = st.builds(
    lambda sunday, minutes: dt.datetime.combine(sunday, dt.time(1), tzinfo=UTC) + dt.timedelta(minutes=minutes),
    change_days,
    st.integers(min_value=-4 * 24 * 60, max_value=20 * 24 * 60),
)
# The same instants with the local offset, as a form or a view hands them on:
# arithmetic on those is wall-clock arithmetic unless the code turns them into UTC.
starts = starts | starts.map(lambda moment: moment.astimezone(LOCAL_TZ))
day_leads = st.integers(min_value=1, max_value=14)
hour_leads = st.integers(min_value=1, max_value=72)


def real_time_between(earlier, later):
    # In UTC: between two datetimes of the same zone Python subtracts wall clocks.
    return later.astimezone(UTC) - earlier.astimezone(UTC)


def due_by_kind(starts_at, days_before, hours_before):
    return {
        lead.split(":")[0]: due
        for lead, due in reminder_due_times(starts_at=starts_at, days_before=days_before, hours_before=hours_before)
    }


# --- reminder_due_times ---------------------------------------------------------------------


@PROPERTIES
@given(starts_at=starts, days_before=st.integers(min_value=0, max_value=14), hours_before=hour_leads | st.just(0))
def test_every_reminder_is_due_before_the_start_and_in_utc(starts_at, days_before, hours_before):
    due = reminder_due_times(starts_at=starts_at, days_before=days_before, hours_before=hours_before)
    assert [lead for lead, _ in due] == [f"days:{days_before}"] * bool(days_before) + [f"hours:{hours_before}"] * bool(
        hours_before
    )
    for _lead, due_at in due:
        assert due_at < starts_at
        assert due_at.utcoffset() == dt.timedelta(0)


@PROPERTIES
@given(starts_at=starts, hours_before=hour_leads)
def test_hours_before_is_exactly_that_much_real_time(starts_at, hours_before):
    due_at = due_by_kind(starts_at, 0, hours_before)["hours"]
    assert real_time_between(due_at, starts_at) == dt.timedelta(hours=hours_before)


@PROPERTIES
@given(starts_at=starts, days_before=day_leads)
def test_days_before_keeps_the_wall_clock(starts_at, days_before):
    due_at = due_by_kind(starts_at, days_before, 0)["days"]
    wanted = starts_at.astimezone(LOCAL_TZ).replace(tzinfo=None) - dt.timedelta(days=days_before)
    shown = due_at.astimezone(LOCAL_TZ).replace(tzinfo=None)
    instants = local_instants_for(wanted)
    if instants:
        # The same clock time; where it happens twice, the first of the two.
        assert shown == wanted
        assert due_at == instants[0]
    else:
        # The clock time was skipped: the offset before the change, i.e. an hour later on the clock.
        assert shown == wanted + dt.timedelta(hours=1)
    # Real time differs from whole days by at most the hour the clocks moved.
    assert abs(real_time_between(due_at, starts_at) - dt.timedelta(days=days_before)) <= dt.timedelta(hours=1)


def test_days_before_across_the_march_change_is_47_hours():
    starts_at = dt.datetime(2026, 3, 29, 10, tzinfo=LOCAL_TZ)
    due_at = due_by_kind(starts_at, 2, 0)["days"]
    assert due_at.astimezone(LOCAL_TZ).replace(tzinfo=None) == dt.datetime(2026, 3, 27, 10)
    assert real_time_between(due_at, starts_at) == dt.timedelta(hours=47)


# --- the booking form's local times ---------------------------------------------------------


@PROPERTIES
@given(wall=walls)
@example(wall=dt.datetime(2026, 3, 29, 2, 30))  # skipped
@example(wall=dt.datetime(2026, 10, 25, 2, 30))  # repeated
@example(wall=dt.datetime(2026, 10, 25, 3, 0))  # the first minute after the repeated hour
def test_to_aware_refuses_skipped_and_repeated_times_and_round_trips_the_rest(wall):
    instants = local_instants_for(wall)
    if len(instants) != 1:
        with pytest.raises(forms.ValidationError) as refused:
            to_aware(wall.date(), wall.time())
        assert refused.value.code == ("nonexistent_time" if not instants else "ambiguous_time")
        return
    aware = to_aware(wall.date(), wall.time())
    assert aware == instants[0]
    assert aware.astimezone(LOCAL_TZ).replace(tzinfo=None) == wall


@PROPERTIES
@given(starts_at=starts)
def test_a_meeting_without_an_end_lasts_the_default_length_in_real_time(starts_at):
    meeting = Meeting(starts_at=starts_at, ends_at=None)
    assert real_time_between(starts_at, meeting.ends_or_default) == DEFAULT_MEETING_LENGTH


def days_to_next_change(month):
    today = timezone.localdate()
    sunday = last_sunday(today.year, month)
    return ((sunday if sunday > today else last_sunday(today.year + 1, month)) - today).days


@PROPERTIES
@example(days_ahead=days_to_next_change(3), clock=dt.time(1, 30))  # ends after the skipped hour
@example(days_ahead=days_to_next_change(3), clock=dt.time(2, 30))  # skipped
@example(days_ahead=days_to_next_change(10), clock=dt.time(1, 45))  # ends in the repeated hour
@example(days_ahead=days_to_next_change(10), clock=dt.time(2, 0))  # repeated
@given(
    days_ahead=st.integers(min_value=1, max_value=364),
    clock=st.builds(dt.time, st.integers(min_value=0, max_value=23), st.sampled_from([0, 15, 30, 45])),
)
def test_the_form_without_an_end_time_adds_the_default_length_in_real_time(days_ahead, clock):
    # Within the year the form accepts, which holds one night of each change.
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    form = BookingForm(data={"date": day.isoformat(), "start_time": clock.strftime("%H:%M")})
    if len(local_instants_for(dt.datetime.combine(day, clock))) != 1:
        assert not form.is_valid() and "start_time" in form.errors
        return
    assert form.is_valid(), form.errors
    booking = form.booking()
    assert real_time_between(booking["starts_at"], booking["ends_at"]) == DEFAULT_MEETING_LENGTH
    assert booking["starts_at"].astimezone(LOCAL_TZ).replace(tzinfo=None) == dt.datetime.combine(day, clock)
