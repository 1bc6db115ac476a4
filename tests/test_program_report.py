"""The funder report ("Återrapport") at its edges: dates a form must refuse
(out of range, a period not begun), what counts as started, active and ended
when a pair's end date is missing or the program has ended, the CSV's numbers
in the person's language, and tables that scroll rather than widen the page.
Its everyday counts are in tests/test_program_page.py."""

import datetime as dt
import io
from html.parser import HTMLParser

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Mentorship, MentorshipStatus, ProgramKind
from sessions.models import Meeting, MeetingStatus

from .factories import MentorshipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def report_url(program, **query):
    url = reverse("program_report", args=[program.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


@pytest.fixture
def report_program(program):
    """The program without the factory's pairs, begun a year ago."""
    Mentorship.objects.filter(program=program).delete()
    program.starts_on = timezone.localdate() - dt.timedelta(days=365)
    program.save()
    return program


def held(pair, day, *, hours=None, number=1):
    starts = dt.datetime.combine(day, dt.time(18), tzinfo=timezone.get_current_timezone())
    ends = starts + dt.timedelta(hours=hours) if hours else None
    return Meeting.objects.create(
        mentorship=pair, number=number, starts_at=starts, ends_at=ends, status=MeetingStatus.HELD
    )


@pytest.mark.parametrize(
    "starts,ends",
    [("9999-12-31", "9999-12-31"), ("0001-01-01", "0001-01-02"), ("1999-12-31", "2000-01-10")],
)
def test_a_date_out_of_range_is_refused_in_swedish_not_a_500(client_for, coordinator, program, starts, ends):
    response = client_for(coordinator).get(report_url(program, starts=starts, ends=ends))
    assert response.status_code == 200
    assert response.context["report"] is None
    last_year = timezone.localdate().year + 5
    assert f"Välj ett datum från 1 januari 2000 till 31 december {last_year}." in response.content.decode()
    assert "starts" in response.context["form"].errors


def test_a_date_far_ahead_is_refused_on_the_field_it_is_in(client_for, coordinator, program):
    today = timezone.localdate()
    response = client_for(coordinator).get(report_url(program, starts=today, ends=f"{today.year + 6}-01-01"))
    assert response.context["report"] is None
    assert list(response.context["form"].errors) == ["ends"]


def test_a_period_that_has_not_begun_is_refused(client_for, coordinator, report_program):
    MentorshipFactory(program=report_program, status=MentorshipStatus.ACTIVE)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(coordinator).get(
        report_url(report_program, starts=tomorrow, ends=tomorrow + dt.timedelta(days=365))
    )
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "Perioden har inte börjat än" in response.content.decode()
    assert list(response.context["form"].errors) == ["starts"]


def test_a_period_that_includes_today_counts_up_to_today(client_for, coordinator, report_program):
    today = timezone.localdate()
    MentorshipFactory(program=report_program, status=MentorshipStatus.ACTIVE, starts_on=today - dt.timedelta(days=9))
    MentorshipFactory(program=report_program, status=MentorshipStatus.ACTIVE, starts_on=today + dt.timedelta(days=9))
    response = client_for(coordinator).get(
        report_url(report_program, starts=today - dt.timedelta(days=30), ends=today + dt.timedelta(days=30))
    )
    report = response.context["report"]
    assert (report.started, report.active, report.mentees) == (1, 1, 1)
    assert report.counted_until == today
    assert "rapporten räknar till och med i dag" in response.content.decode()


def test_no_pair_is_active_after_the_program_has_ended(client_for, coordinator, report_program):
    today = timezone.localdate()
    report_program.ends_on = today - dt.timedelta(days=60)
    report_program.save()
    pair = MentorshipFactory(
        program=report_program, status=MentorshipStatus.ACTIVE, starts_on=today - dt.timedelta(days=200)
    )
    held(pair, today - dt.timedelta(days=100))
    client = client_for(coordinator)
    after = client.get(report_url(report_program, starts=today - dt.timedelta(days=30), ends=today))
    report = after.context["report"]
    assert (report.started, report.active, report.ended, report.mentees, report.meetings) == (0, 0, 0, 0, 0)
    assert "Programmet avslutades" in after.content.decode()
    across = client.get(report_url(report_program, starts=today - dt.timedelta(days=120), ends=today)).context
    assert (across["report"].active, across["report"].meetings) == (1, 1)
    assert across["report"].counted_until == report_program.ends_on


@pytest.mark.parametrize("status", [MentorshipStatus.ENDED, MentorshipStatus.CANCELLED])
def test_a_closed_pair_without_an_end_date_ended_on_its_last_meeting(client_for, coordinator, report_program, status):
    today = timezone.localdate()
    pair = MentorshipFactory(program=report_program, status=status, starts_on=today - dt.timedelta(days=200))
    held(pair, today - dt.timedelta(days=150), number=1)
    held(pair, today - dt.timedelta(days=120), number=2)
    assert pair.ends_on is None
    client = client_for(coordinator)
    after = client.get(report_url(report_program, starts=today - dt.timedelta(days=100), ends=today)).context["report"]
    assert (after.active, after.ended, after.mentees) == (0, 0, 0)
    during = client.get(report_url(report_program, starts=today - dt.timedelta(days=130), ends=today)).context
    assert (during["report"].active, during["report"].ended) == (1, 1)
    whole = client.get(report_url(report_program, starts=report_program.starts_on, ends=today)).context["report"]
    assert whole.ended == 1  # as the program page counts it, by its status


def test_a_pair_still_invited_is_not_reported_whatever_its_start_date(client_for, coordinator, report_program):
    """Its people have not said yes: a funder is not told of them as taking part."""
    today = timezone.localdate()
    MentorshipFactory(program=report_program, status=MentorshipStatus.INVITED, starts_on=today - dt.timedelta(days=5))
    MentorshipFactory(program=report_program, status=MentorshipStatus.ACTIVE, starts_on=today - dt.timedelta(days=5))
    report = client_for(coordinator).get(report_url(report_program, starts=today - dt.timedelta(days=30), ends=today))
    figures = report.context["report"]
    assert (figures.started, figures.active, figures.mentees, figures.mentors) == (1, 1, 1, 1)
    assert sum(month["started"] for month in figures.months) == 1


def test_a_closed_pair_without_an_end_date_or_a_meeting_ended_on_its_first_day(client_for, coordinator, report_program):
    today = timezone.localdate()
    MentorshipFactory(program=report_program, status=MentorshipStatus.ENDED, starts_on=today - dt.timedelta(days=50))
    client = client_for(coordinator)
    later = client.get(report_url(report_program, starts=today - dt.timedelta(days=49), ends=today)).context["report"]
    assert (later.active, later.ended) == (0, 0)
    first = client.get(report_url(report_program, starts=today - dt.timedelta(days=50), ends=today)).context["report"]
    assert (first.started, first.active, first.ended) == (1, 1, 1)


@pytest.fixture
def hours_pair(report_program):
    """A pair with 2 hours and 1.5 hours of meetings: 3.5 in all."""
    today = timezone.localdate()
    pair = MentorshipFactory(program=report_program, starts_on=today - dt.timedelta(days=100))
    held(pair, today - dt.timedelta(days=60), hours=2, number=1)  # 50 days apart: never in one month
    held(pair, today - dt.timedelta(days=10), number=2)  # no end time: 1.5 hours
    return pair


@pytest.mark.parametrize(
    "language,hours,whole_month,half_month",
    [("sv", "Timmar i möten;3,5", ";1;2\r\n", ";1;1,5\r\n"), ("en", "Hours of meetings;3.5", ";1;2\r\n", ";1;1.5\r\n")],
)
def test_the_csv_writes_numbers_as_the_persons_language_does(
    client_for, coordinator, report_program, hours_pair, language, hours, whole_month, half_month
):
    today = timezone.localdate()
    client = client_for(coordinator)
    query = {"starts": report_program.starts_on, "ends": today, "format": "csv"}
    response = client.get(report_url(report_program, **query), HTTP_ACCEPT_LANGUAGE=language)
    text = response.content.decode("utf-8-sig")
    assert hours in text.splitlines()
    assert whole_month in text and half_month in text  # 2 hours stays "2", not "2,0"
    assert "2.0" not in text and "2,0" not in text


def test_the_page_writes_hours_as_the_csv_does(client_for, coordinator, report_program, hours_pair):
    query = {"starts": report_program.starts_on, "ends": timezone.localdate()}
    html = client_for(coordinator).get(report_url(report_program, **query)).content.decode()
    assert '<td class="text-end">3,5</td>' in html and '<td class="text-end">2</td>' in html
    assert "2,0" not in html


def test_the_excel_file_keeps_real_numbers(client_for, coordinator, report_program, hours_pair):
    query = {"starts": report_program.starts_on, "ends": timezone.localdate(), "format": "xlsx"}
    response = client_for(coordinator).get(report_url(report_program, **query))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Sammanfattning"]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if len(row) > 1}
    assert values["Timmar i möten"] == 3.5 and values["Genomförda tillfällen"] == 2


class TableParents(HTMLParser):
    """The classes of the element each table with an id sits in."""

    def __init__(self):
        super().__init__()
        self.open, self.parents = [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self.parents[attrs["id"]] = self.open[-1] if self.open else ""
        self.open.append(attrs.get("class") or "")

    def handle_endtag(self, tag):
        self.open.pop()


def test_every_table_of_the_report_scrolls_on_its_own(client_for, coordinator, report_program, hours_pair):
    hours_pair.mentee.name = "Långtnamnutanmellanslag" * 6
    hours_pair.mentee.save()
    query = {"starts": report_program.starts_on, "ends": timezone.localdate(), "names": "on"}
    html = client_for(coordinator).get(report_url(report_program, **query)).content.decode()
    parser = TableParents()
    parser.feed(html)
    assert set(parser.parents) >= {"report-summary", "report-months", "report-pairs"}
    assert all("table-responsive" in classes.split() for classes in parser.parents.values()), parser.parents


def test_the_associations_table_scrolls_on_its_own_too(client_for, coordinator, report_program, hours_pair):
    report_program.kind = ProgramKind.ASSOCIATIONS
    report_program.save()
    hours_pair.mentee_organisation = OrganisationFactory(name="Förening " + "Långtnamn" * 10)
    hours_pair.save()
    html = client_for(coordinator).get(report_url(report_program)).content.decode()
    parser = TableParents()
    parser.feed(html)
    assert "table-responsive" in parser.parents["report-associations"].split()


def test_a_bookmark_without_dates_reports_the_default_period(client_for, coordinator, report_program):
    """?names=on alone (a link kept from the form) is the default period with
    names, not two "required" errors; a day sent empty is still refused."""
    pair = MentorshipFactory(program=report_program, starts_on=timezone.localdate() - dt.timedelta(days=10))
    client = client_for(coordinator)
    plain = client.get(report_url(report_program)).context["report"]
    named = client.get(report_url(report_program, names="on"))
    assert not named.context["form"].errors
    assert (named.context["report"].starts, named.context["report"].ends) == (plain.starts, plain.ends)
    assert plain.pairs == [] and len(named.context["report"].pairs) == 1
    assert pair.mentee.display_name in named.text
    emptied = client.get(report_url(report_program, starts="", ends=plain.ends.isoformat()))
    assert list(emptied.context["form"].errors) == ["starts"] and emptied.context["report"] is None
