"""A meeting's time and place in one line ({% meeting_when %}): in local time,
in the person's language, the place escaped, a web address a link."""

import datetime as dt

from django.template import Context, Template
from django.utils import translation

from sessions.models import Meeting


def when(**fields):
    with translation.override("sv"):
        return Template("{% load meetings %}{% meeting_when meeting %}").render(Context({"meeting": Meeting(**fields)}))


def test_a_booked_meeting_in_swedish_local_time_across_summer_time():
    starts = dt.datetime(2026, 3, 3, 17, 0, tzinfo=dt.UTC)  # winter: 18:00 in Stockholm
    assert when(starts_at=starts, ends_at=starts + dt.timedelta(hours=1)) == "tisdag 3 mars 2026, 18:00–19:00"
    summer = dt.datetime(2026, 6, 2, 16, 0, tzinfo=dt.UTC)  # summer: 18:00 too
    assert when(starts_at=summer) == "tisdag 2 juni 2026, 18:00"


def test_no_time_is_said_so():
    assert when(starts_at=None) == "Ingen tid angiven"


def test_the_place_is_escaped_and_a_web_address_is_a_link():
    starts = dt.datetime(2026, 3, 3, 17, 0, tzinfo=dt.UTC)
    assert when(starts_at=starts, location="<script>x</script> & co").endswith(
        " · &lt;script&gt;x&lt;/script&gt; &amp; co"
    )
    link = when(starts_at=starts, location='https://meet.example.org/a"b')
    assert link.endswith(
        ' · <a href="https://meet.example.org/a&quot;b" rel="noopener noreferrer">https://meet.example.org/a&quot;b</a>'
    )
    assert "<a" not in when(starts_at=starts, location="http://insecure.example.org")
