"""The print view is the paper template filled in (seed/mentorskap-mall.txt):
Tillfälle 1 with its date and the agreement, each later meeting with its
reflection, notes and "kom ihåg", every one ending in "Boka nästa tillfälle
(datum och tid)"; a cancelled meeting is one line, not an empty section."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from sessions.models import Comment, MeetingStatus, ReminderItem
from tests.factories import AgreementFactory, MeetingFactory

pytestmark = pytest.mark.django_db

BOOK_NEXT = "Boka nästa tillfälle (datum och tid)"


def local_day(when):
    return date_format(timezone.localtime(when), "l j F Y")


@pytest.fixture
def journal(mentorship):
    now = timezone.now().replace(second=0, microsecond=0)
    AgreementFactory(mentorship=mentorship, summary="Första träffen", confidentiality="open")
    first = MeetingFactory(
        mentorship=mentorship, number=1, starts_at=now - dt.timedelta(days=40), status=MeetingStatus.HELD
    )
    second = MeetingFactory(
        mentorship=mentorship,
        number=2,
        starts_at=now - dt.timedelta(days=20),
        status=MeetingStatus.HELD,
        reflection="Reflektion två",
        summary="Anteckningar två",
    )
    ReminderItem.objects.create(meeting=second, text="Läsa stadgarna", done=True, position=0)
    ReminderItem.objects.create(meeting=second, text="Ringa kassören", position=1)
    Comment.objects.create(meeting=second, author=mentorship.mentor, text="Bra!")
    cancelled = MeetingFactory(
        mentorship=mentorship, number=3, starts_at=now - dt.timedelta(days=5), status=MeetingStatus.CANCELLED
    )
    fourth = MeetingFactory(mentorship=mentorship, number=4, starts_at=now + dt.timedelta(days=9))
    return {"first": first, "second": second, "cancelled": cancelled, "fourth": fourth}


def sections(html):
    """Each Tillfälle's section of the print, by number."""
    found = re.findall(r'<section class="meeting-print" id="print-meeting-(\d+)">(.*?)</section>', html, re.S)
    return {int(number): body for number, body in found}


def printed(client, mentorship, name="journal_print"):
    response = client.get(reverse(name, args=[mentorship.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_every_meeting_ends_with_the_next_booking_as_on_paper(client_for, mentee, mentorship, journal):
    html = printed(client_for(mentee), mentorship)
    parts = sections(html)
    assert sorted(parts) == [1, 2, 4]
    for body in parts.values():
        assert body.count(BOOK_NEXT) == 1
    assert local_day(journal["second"].starts_at) in parts[1].split(BOOK_NEXT)[1]
    # Meeting 3 was cancelled: the line after meeting 2 names meeting 4.
    assert local_day(journal["fourth"].starts_at) in parts[2].split(BOOK_NEXT)[1]
    # Nothing booked after the last: the paper's empty line to write on.
    assert "__________________" in parts[4].split(BOOK_NEXT)[1]


def test_meeting_1_has_its_date_and_looks_like_the_others(client_for, mentee, mentorship, journal):
    parts = sections(printed(client_for(mentee), mentorship))
    assert local_day(journal["first"].starts_at) in parts[1]
    headings = re.findall(r"<section[^>]*>\s*(<h2[^>]*>)", printed(client_for(mentee), mentorship))
    assert headings == ["<h2>"] * 3  # same element, same class, for Tillfälle 1 and the rest


def test_a_cancelled_meeting_is_one_line(client_for, mentee, mentorship, journal):
    html = printed(client_for(mentee), mentorship)
    assert 'id="print-meeting-3"' in html
    assert 3 not in sections(html)
    line = re.search(r'<p class="meeting-cancelled" id="print-meeting-3">(.*?)</p>', html, re.S).group(1)
    assert "Tillfälle 3" in line and "inställd" in line


def test_remember_items_have_one_marker_each(client_for, mentee, mentorship, journal):
    body = sections(printed(client_for(mentee), mentorship))[2]
    [items] = re.findall(r'<ul class="([^"]*)">(.*?)</ul>', body, re.S)
    classes, content = items
    assert "list-unstyled" in classes.split()  # no bullet besides the box
    assert content.count("☑") == 1 and content.count("☐") == 1
    assert "Läsa stadgarna" in content and "Ringa kassören" in content


def test_the_agreement_print_has_meeting_1_date_and_next_booking(client_for, mentor, mentorship, journal):
    html = printed(client_for(mentor), mentorship, "agreement_print")
    parts = sections(html)
    assert list(parts) == [1]
    assert local_day(journal["first"].starts_at) in parts[1]
    assert local_day(journal["second"].starts_at) in parts[1].split(BOOK_NEXT)[1]
    assert "Anteckningar två" not in html


def test_a_pair_without_meetings_prints_the_empty_line(client_for, mentee, mentorship):
    AgreementFactory(mentorship=mentorship)
    parts = sections(printed(client_for(mentee), mentorship))
    assert "__________________" in parts[1].split(BOOK_NEXT)[1]


def test_text_is_escaped_in_the_print(client_for, mentee, mentorship, journal):
    journal["second"].summary = "<script>alert(1)</script>"
    journal["second"].save()
    html = printed(client_for(mentee), mentorship)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
