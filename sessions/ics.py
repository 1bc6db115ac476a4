"""The calendar invitation (.ics) sent with booking changes.

One meeting is one calendar event: its UID never changes, and SEQUENCE is the
meeting's own counter, raised by every change, so Outlook, Google Calendar and
Apple Calendar update or remove the event they already have instead of
adding a second one.
"""

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText

from mentorskap.localtime import LOCAL_TZ
from mentorskap.text import one_line

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def meeting_uid(meeting):
    host = urlsplit(settings.SITE_URL).hostname or "mentorskap"
    return f"{meeting.public_id}@{host}"


def meeting_calendar(*, meeting, method, title, description="", now=None):
    """The iCalendar file for the meeting, as bytes (UTF-8, CRLF lines)."""
    cal = Calendar()
    cal.add("prodid", "-//Mentorskap//Mentorskap//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    # The zone before the event that uses it: some importers read in order.
    cal.add_component(_stockholm_timezone())
    cal.add_component(_event(meeting=meeting, method=method, title=title, description=description, now=now))
    return cal.to_ical()


def _event(*, meeting, method, title, description, now):
    starts = meeting.starts_at.astimezone(LOCAL_TZ)
    ends = meeting.ends_or_default.astimezone(LOCAL_TZ)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("summary", one_line(title))
    if description:
        event.add("description", description)
    location = one_line(meeting.location)
    if location:
        event.add("location", location)
        if location.startswith(("https://", "http://")):
            event.add("url", location)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _organizer())
    mentorship = meeting.mentorship
    for person in (mentorship.mentee, mentorship.mentor):
        event.add("attendee", _attendee(person), encode=0)
    return event


def _stockholm_timezone():
    """Europe/Stockholm as the EU rule (last Sunday of March and October).

    Times carry TZID=Europe/Stockholm and this block describes the zone, so an
    importer need not know it by name. A rule instead of a list of dates: it
    is what Outlook and Google write themselves, it holds for any year, and
    every importer reads it the same way.
    """
    zone = Timezone()
    zone.add("tzid", "Europe/Stockholm")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _organizer():
    # The service sends the invitation, so it is the organizer: either party
    # may book, and neither should see "you are the organizer" and lose the
    # buttons to accept.
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(one_line(name or "Mentorskap"))
    return organizer


def _attendee(person):
    attendee = vCalAddress(f"mailto:{person.email}")
    attendee.params["cn"] = vText(one_line(person.display_name))
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("FALSE")
    return attendee
