"""The .ics is read back with vobject, a second parser independent of the
icalendar library that writes it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.db.models import F
from django.utils import timezone

from sessions.ics import CANCEL, REQUEST, meeting_calendar, meeting_uid
from sessions.models import Meeting
from sessions.models.meeting import DEFAULT_MEETING_LENGTH
from tests.factories import MeetingFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def parse(ics_bytes):
    assert b"\r\n" in ics_bytes and all(len(line) <= 75 for line in ics_bytes.split(b"\r\n"))
    return vobject.readOne(ics_bytes.decode("utf-8"))


@pytest.fixture
def meeting(mentorship):
    starts = dt.datetime(2027, 6, 15, 17, 30, tzinfo=STOCKHOLM)
    return MeetingFactory(
        mentorship=mentorship, number=2, starts_at=starts, ends_at=starts + dt.timedelta(minutes=90), location="Zoom"
    )


def test_request_has_everything_calendars_need(meeting, mentee, mentor, settings):
    raw = meeting_calendar(meeting=meeting, method=REQUEST, title="Möte 2")
    assert b"DTSTART;TZID=Europe/Stockholm:20270615T173000" in raw
    cal = parse(raw)
    event = cal.vevent
    assert cal.method.value == "REQUEST" and cal.version.value == "2.0"
    assert event.uid.value == meeting_uid(meeting) and str(meeting.public_id) in event.uid.value
    assert event.sequence.value == "0"
    assert event.dtstart.value == meeting.starts_at and event.dtend.value == meeting.ends_at
    assert event.dtstart.value.utcoffset() == dt.timedelta(hours=2)
    assert cal.vtimezone.tzid.value == "Europe/Stockholm"
    assert event.summary.value == "Möte 2" and event.location.value == "Zoom"
    assert event.status.value == "CONFIRMED"
    assert event.organizer.value.lower().startswith("mailto:")
    attendees = {a.value.lower() for a in event.attendee_list}
    assert attendees == {f"mailto:{mentee.email}", f"mailto:{mentor.email}"}
    assert event.dtstamp.value.tzinfo is not None


def test_uid_is_stable_and_sequence_follows_the_meeting(meeting):
    first = parse(meeting_calendar(meeting=meeting, method=REQUEST, title="x"))
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1, starts_at=meeting.starts_at)
    meeting.refresh_from_db()
    second = parse(meeting_calendar(meeting=meeting, method=REQUEST, title="x"))
    assert first.vevent.uid.value == second.vevent.uid.value
    assert int(second.vevent.sequence.value) == int(first.vevent.sequence.value) + 1


def test_cancel(meeting):
    meeting.sequence = 3
    cal = parse(meeting_calendar(meeting=meeting, method=CANCEL, title="x"))
    assert cal.method.value == "CANCEL" and cal.vevent.status.value == "CANCELLED"
    assert cal.vevent.sequence.value == "3"


@pytest.mark.parametrize(
    ("local", "offset"),
    [
        (dt.datetime(2026, 3, 29, 10, 0), 2),
        (dt.datetime(2026, 3, 28, 10, 0), 1),
        (dt.datetime(2026, 10, 25, 10, 0), 1),
        (dt.datetime(2026, 10, 24, 10, 0), 2),
        (dt.datetime(2031, 3, 30, 3, 0), 2),  # the rule holds beyond any list of dates
    ],
)
def test_times_across_dst_read_back_to_the_same_instant(mentorship, local, offset):
    starts = local.replace(tzinfo=STOCKHOLM)
    meeting = MeetingFactory(mentorship=mentorship, starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
    value = parse(meeting_calendar(meeting=meeting, method=REQUEST, title="x")).vevent.dtstart.value
    assert value.utcoffset() == dt.timedelta(hours=offset)
    assert value.astimezone(dt.UTC) == starts.astimezone(dt.UTC)
    assert (value.hour, value.minute) == (local.hour, local.minute)


def test_text_with_line_breaks_and_quotes_stays_in_its_property(mentorship, mentee):
    mentee.name = 'Maja "M" Andersson\r\nATTENDEE:mailto:evil@example.net'
    mentee.save()
    meeting = MeetingFactory(
        mentorship=mentorship,
        starts_at=timezone.now() + dt.timedelta(days=3),
        location="Room 1\r\nATTENDEE:mailto:evil@example.net; a, b",
    )
    cal = parse(meeting_calendar(meeting=meeting, method=REQUEST, title="Title\nDTSTART:19990101T000000"))
    event = cal.vevent
    assert len(event.attendee_list) == 2
    assert all("evil" not in a.value for a in event.attendee_list)
    assert "\n" not in event.location.value and "evil@example.net" in event.location.value
    assert len(event.contents["dtstart"]) == 1 and event.dtstart.value.year > 2000


def test_video_link_is_also_the_url(mentorship):
    meeting = MeetingFactory(mentorship=mentorship, location="https://meet.example.org/abc")
    event = parse(meeting_calendar(meeting=meeting, method=REQUEST, title="x")).vevent
    assert event.url.value == "https://meet.example.org/abc"


def test_meeting_without_end_lasts_the_default_length(mentorship):
    """The one default length, the booking form's (issue 8: it was 1 h here and 1.5 h there)."""
    starts = timezone.now() + dt.timedelta(days=2)
    meeting = MeetingFactory(mentorship=mentorship, starts_at=starts, ends_at=None)
    event = parse(meeting_calendar(meeting=meeting, method=REQUEST, title="x")).vevent
    assert event.dtend.value - event.dtstart.value == DEFAULT_MEETING_LENGTH == dt.timedelta(minutes=90)
