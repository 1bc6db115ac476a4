"""A meeting's time and place in one line, written in Python: as an
{% include %}, rendered once for every row of the timeline, it was about a
twentieth of the mentorship page's function calls."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def meeting_when(meeting):
    """ "tisdag 3 mars 2026, 18:00–19:00 · Kansliet", the place a link when it
    is a web address (a video meeting)."""
    return format_html("{}{}", _when(meeting), _where(meeting.location))


def _when(meeting):
    if not meeting.starts_at:
        return gettext("No time noted")
    starts_at = timezone.localtime(meeting.starts_at)
    when = f"{date_format(starts_at, 'l j F Y')}, {time_format(starts_at, 'H:i')}"
    if meeting.ends_at:
        when += "–" + time_format(timezone.localtime(meeting.ends_at), "H:i")
    return when


def _where(location):
    if not location:
        return ""
    if location.startswith("https://"):
        return format_html(' · <a href="{}" rel="noopener noreferrer">{}</a>', location, location)
    return format_html(" · {}", location)
