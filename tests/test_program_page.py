"""The coordinator's program at any size (issue 10): the program page's
figures, filters, search, sorting and pages; the pair page with check-ins;
the exports; the funder report. Access by every role, bad input, no note
text anywhere, and query counts that do not grow from 10 to 500 pairs."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.checkins import checkin_due_filter, next_checkin_due, with_checkins
from programs.models import CheckIn, Mentorship, MentorshipStatus, ProgramKind
from programs.selectors import stall_reason, stalled_filter, with_meeting_dates
from sessions.models import Agreement, Meeting, MeetingStatus

from .factories import (
    AgreementFactory,
    InvitationFactory,
    MeetingFactory,
    MentorshipFactory,
    OrganisationFactory,
    UserFactory,
)
from .helpers.program_pairs import DAY, SECRET, many_pairs, page_url

pytestmark = pytest.mark.django_db

NEW_PAGES = [
    lambda program, pair: reverse("program_detail", args=[program.pk]) + "?attention=stalled&q=a",
    lambda program, pair: reverse("program_pairs_csv", args=[program.pk]),
    lambda program, pair: reverse("program_pairs_xlsx", args=[program.pk]),
    lambda program, pair: reverse("program_report", args=[program.pk]),
    lambda program, pair: (
        reverse("program_report", args=[program.pk]) + "?starts=2026-01-01&ends=2026-12-31&format=csv"
    ),
    lambda program, pair: (
        reverse("program_report", args=[program.pk]) + "?starts=2026-01-01&ends=2026-12-31&format=xlsx"
    ),
    lambda program, pair: reverse("program_pair", args=[pair.public_id]),
]


@pytest.mark.parametrize("make_url", NEW_PAGES)
@pytest.mark.parametrize(
    "role,status",
    [
        ("coordinator", 200),
        ("superuser", 200),
        ("other_coordinator", 404),
        ("outsider", 404),
        ("mentee", 404),
        ("mentor", 404),
        (None, 302),
    ],
)
def test_every_new_page_and_export_is_for_the_programs_coordinators_only(
    request, client_for, program, mentorship, make_url, role, status
):
    user = request.getfixturevalue(role) if role else None
    request.getfixturevalue("coordinator")
    response = client_for(user).get(make_url(program, mentorship))
    assert response.status_code == status
    if status == 200:
        assert "no-store" in response["Cache-Control"]


def test_recording_a_check_in_is_refused_to_everyone_else(client_for, other_coordinator, mentee, mentorship):
    url = reverse("program_pair", args=[mentorship.public_id])
    data = {"held_on": timezone.localdate().isoformat(), "with_whom": "both", "channel": "phone", "note": "x"}
    for user in (other_coordinator, mentee):
        assert client_for(user).post(url, data).status_code == 404
    assert not CheckIn.objects.exists()


def test_the_figures_count_what_the_program_holds(client_for, coordinator, program):
    pairs = many_pairs(program, 6)
    Agreement.objects.filter(mentorship=pairs[0]).update(
        mentee_confirmed_at=timezone.now(), mentor_confirmed_at=timezone.now()
    )
    Mentorship.objects.filter(pk=pairs[1].pk).update(status=MentorshipStatus.INVITED)
    response = client_for(coordinator).get(page_url(program))
    counts = response.context["counts"]
    assert counts["pairs"] == 6 and dict(counts["by_status"])["Inbjuden"] == 1
    assert counts["confirmed"] == 1
    assert counts["held"] == 6  # meeting 1 of each
    assert counts["booked_ahead"] == 6
    # Nobody has a password or has logged in, and no one was sent a link (bulk rows).
    assert counts["not_accepted"] == 0 and counts["not_invited"] == 12
    html = response.content.decode()
    assert SECRET not in html
    assert "Tillfällen per månad" in html and "<svg" in html and '<table class="visually-hidden">' in html


def test_those_invited_and_those_never_invited_are_counted_apart_and_their_filters_agree(
    client_for, coordinator, program
):
    """One figure said "not accepted their invitation" and counted people
    never sent one too: each is now a figure of its own, named for what it
    counts, and its link finds the pairs of exactly those people."""
    now = timezone.now()
    waiting, expired, never = (
        UserFactory(password=None, name=name) for name in ("Ida Inbjuden", "Eva Utgången", "Nils Ny")
    )
    InvitationFactory(user=waiting)
    InvitationFactory(user=expired, expires_at=now - DAY)
    InvitationFactory(user=coordinator, used_at=now)  # came in by a link: neither figure
    in_pair = {
        person.pk: MentorshipFactory(program=program, mentee=person, mentor=UserFactory(last_login=now))
        for person in (waiting, expired, never)
    }
    MentorshipFactory(program=program, mentee=UserFactory(last_login=now), mentor=UserFactory(last_login=now))
    client = client_for(coordinator)
    response = client.get(page_url(program))
    counts = response.context["counts"]
    assert (counts["not_accepted"], counts["not_invited"]) == (2, 1)
    figures = response.content.decode()
    assert "personer som har bjudits in men inte tackat ja ännu" in figures
    assert "personer som aldrig har fått någon inbjudan" in figures

    def found(attention):
        return {pair.pk for pair in client.get(page_url(program, attention=attention)).context["pairs"]}

    assert found("not_accepted") == {in_pair[waiting.pk].pk, in_pair[expired.pk].pk}
    assert found("not_invited") == {in_pair[never.pk].pk}
    # Each figure's number is what its link lists.
    assert len(found("not_accepted")) == counts["not_accepted"]


def test_the_sql_stall_rule_agrees_with_the_pairs_own(program, coordinator):
    """programs.selectors.stalled_filter is the SQL twin of stall_reason."""
    now = timezone.now()
    today = timezone.localdate()
    fresh = MentorshipFactory(program=program, starts_on=today)
    late = MentorshipFactory(program=program, starts_on=today - 30 * DAY)  # no agreement after 3 weeks
    quiet = MentorshipFactory(program=program, starts_on=today - 90 * DAY)
    AgreementFactory(mentorship=quiet)
    MeetingFactory(mentorship=quiet, number=1, starts_at=now - 50 * DAY, status=MeetingStatus.HELD)
    booked = MentorshipFactory(program=program, starts_on=today - 90 * DAY)
    AgreementFactory(mentorship=booked)
    MeetingFactory(mentorship=booked, number=1, starts_at=now - 50 * DAY, status=MeetingStatus.HELD)
    MeetingFactory(mentorship=booked, number=2, starts_at=now + 5 * DAY)
    undated = MentorshipFactory(program=program, starts_on=today - 90 * DAY)
    AgreementFactory(mentorship=undated)
    Meeting.objects.create(mentorship=undated, number=1, status=MeetingStatus.HELD)
    ended = MentorshipFactory(program=program, starts_on=today - 90 * DAY, status=MentorshipStatus.ENDED)
    pairs = with_checkins(with_meeting_dates(program.mentorships.select_related("program", "agreement"), now=now))
    by_rule = {p.pk for p in pairs if stall_reason(p, today=today)}
    by_sql = set(pairs.filter(stalled_filter(program, today=today)).values_list("pk", flat=True))
    assert by_rule == by_sql == {late.pk, quiet.pk}
    assert fresh.pk not in by_sql and booked.pk not in by_sql and undated.pk not in by_sql and ended.pk not in by_sql


@pytest.mark.parametrize("first_month,interval", [(2, 30), (0, 30), (1, 14), (4, 60)])
def test_the_sql_check_in_rule_agrees_with_the_pairs_own(program, coordinator, first_month, interval):
    program.checkins_first_month, program.checkin_interval_days = first_month, interval
    program.save()
    today = timezone.localdate()
    pairs = []
    for age in (0, 8, 14, 15, 16, 29, 30, 31, 45, 61, 90, 200):
        for done in (0, 1, 2, 5):
            pair = MentorshipFactory(program=program, starts_on=today - age * DAY)
            for k in range(done):
                CheckIn.objects.create(
                    mentorship=pair,
                    held_on=today - (age * (done - k) // (done + 1)) * DAY,
                    with_whom="mentee",
                    channel="email",
                    recorded_by=coordinator,
                )
            pairs.append(pair)
    annotated = with_checkins(program.mentorships.select_related("program"))
    by_rule = {
        p.pk
        for p in annotated
        if (due := next_checkin_due(p, count=p.checkin_count, last=p.checkin_last)) and due <= today
    }
    by_sql = set(annotated.filter(checkin_due_filter(program, today=today)).values_list("pk", flat=True))
    assert by_rule == by_sql
    assert 0 < len(by_sql) < len(pairs)


def test_a_late_first_check_in_is_followed_a_month_later_not_at_once(program, coordinator):
    """A pair started 48 days ago gets its first check-in today: the first
    month's second slot (day 30) is past, so the next is due in 30 days."""
    today = timezone.localdate()
    pair = MentorshipFactory(program=program, starts_on=today - 48 * DAY)
    CheckIn.objects.create(mentorship=pair, held_on=today, with_whom="both", channel="phone", recorded_by=coordinator)
    annotated = with_checkins(program.mentorships.select_related("program")).get(pk=pair.pk)
    assert next_checkin_due(annotated, count=1, last=today) == today + 30 * DAY
    assert not with_checkins(program.mentorships.all()).filter(checkin_due_filter(program, today=today)).exists()
    # On time, the second slot still holds: a check-in on day 15 is followed on day 30.
    on_time = MentorshipFactory(program=program, starts_on=today - 20 * DAY)
    assert next_checkin_due(on_time, count=1, last=today - 5 * DAY) == today + 10 * DAY


def test_filters_search_sort_and_pages_live_in_the_url(client_for, coordinator, program, monkeypatch):
    monkeypatch.setattr("programs.overview.PAGE_SIZE", 4)
    pairs = many_pairs(program, 10)
    maja = pairs[3].mentee
    maja.name, maja.email = "Maja Gräsberg", "maja.grasberg@example.org"
    maja.save()
    area_org = OrganisationFactory(name="IK Stjärnan")
    Mentorship.objects.filter(pk=pairs[5].pk).update(mentor_organisation=area_org, status=MentorshipStatus.ENDED)
    client = client_for(coordinator)

    first = client.get(page_url(program))
    assert first.context["page"].paginator.count == 10 and len(first.context["pairs"]) == 4
    third = client.get(page_url(program, page=3))
    assert len(third.context["pairs"]) == 2
    for query in ("gräsberg", "MAJA.GRASBERG@"):
        found = client.get(page_url(program, q=query)).context["pairs"]
        assert [p.pk for p in found] == [pairs[3].pk]
    assert [p.pk for p in client.get(page_url(program, status="ended")).context["pairs"]] == [pairs[5].pk]
    by_org = client.get(page_url(program, association=area_org.pk)).context["pairs"]
    assert [p.pk for p in by_org] == [pairs[5].pk]
    assert client.get(page_url(program, attention="not_invited")).context["page"].paginator.count == 10
    assert client.get(page_url(program, attention="not_accepted")).context["page"].paginator.count == 0
    newest = client.get(page_url(program, sort="-last_meeting")).context["pairs"]
    oldest = client.get(page_url(program, sort="last_meeting")).context["pairs"]
    assert newest[0].last_at >= newest[-1].last_at and oldest[0].last_at <= oldest[-1].last_at
    # The page links keep the filter.
    html = client.get(page_url(program, status="active")).content.decode()
    assert "status=active&amp;page=2" in html
    assert "par.csv?status=active" in html


def test_the_printed_list_says_which_pairs_it_shows(client_for, coordinator, program, monkeypatch):
    """On paper the filter form is hidden (print.css): a line for print
    only says the filter, the search, the order and the page in words."""
    monkeypatch.setattr("programs.overview.PAGE_SIZE", 2)
    pairs = many_pairs(program, 5)
    for pair in pairs:
        pair.mentee.name = f"Erik {pair.pk}"
        pair.mentee.save()
    client = client_for(coordinator)

    def selection(**params):
        html = client.get(page_url(program, **params)).content.decode()
        line = re.search(r'<p class="d-none d-print-block" id="pairs-selection">(.*?)</p>', html, re.S)
        assert line, "no line for print says which pairs the list shows"
        return " ".join(line.group(1).split())

    assert selection(status="active", q="erik", sort="quiet", page=2) == (
        "Urval: Status: Aktiv · Sökning: ”erik” · Sorterat efter: Längst utan aktivitet · Sida: 2 av 3"
    )
    assert selection() == "Urval: alla par · Sorterat efter: Mentee · Sida: 1 av 3"
    assert selection(attention="not_invited", q="<b>x</b>") == (
        "Urval: Behöver uppmärksamhet: Aldrig inbjuden · Sökning: ”&lt;b&gt;x&lt;/b&gt;” · Sorterat efter: Mentee"
    )
    # What the page cannot use, it does not claim: an invalid filter shows all pairs.
    assert selection(status="nonsense").startswith("Urval: alla par")


def test_sorting_by_meetings_puts_pairs_without_one_where_a_coordinator_looks_for_them(
    client_for, coordinator, program
):
    now = timezone.now()
    never, met_long_ago, met_lately = (MentorshipFactory(program=program) for _ in range(3))
    MeetingFactory(mentorship=met_long_ago, number=1, starts_at=now - 60 * DAY, status=MeetingStatus.HELD)
    MeetingFactory(mentorship=met_lately, number=1, starts_at=now - 2 * DAY, status=MeetingStatus.HELD)
    MeetingFactory(mentorship=met_lately, number=2, starts_at=now + 3 * DAY)
    client = client_for(coordinator)

    def order(sort):
        return [p.pk for p in client.get(page_url(program, sort=sort)).context["pairs"]]

    assert order("last_meeting") == [never.pk, met_long_ago.pk, met_lately.pk]
    assert order("-last_meeting") == [met_lately.pk, met_long_ago.pk, never.pk]
    assert order("next_meeting")[0] == met_lately.pk


def test_bad_filter_values_show_all_pairs_with_a_message_not_an_error(client_for, coordinator, program):
    many_pairs(program, 3)
    response = client_for(coordinator).get(page_url(program, status="nonsense", focus="x", page="abc"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
    assert "nonsense" in response.content.decode()  # named in the form's message, escaped
    html = client_for(coordinator).get(page_url(program, q="<script>alert(1)</script>")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_the_pair_page_shows_metadata_and_check_ins_never_notes(client_for, coordinator, program, mentorship):
    AgreementFactory(mentorship=mentorship, summary=SECRET, purpose_and_goals=SECRET)
    MeetingFactory(mentorship=mentorship, number=2, summary=SECRET)
    client = client_for(coordinator)
    url = reverse("program_pair", args=[mentorship.public_id])
    response = client.post(
        url,
        {
            "held_on": timezone.localdate().isoformat(),
            "with_whom": "both",
            "channel": "meeting",
            "note": "Ringde <b>båda</b>, allt väl.",
        },
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert (checkin.recorded_by, checkin.with_whom, checkin.channel) == (coordinator, "both", "meeting")
    html = client.get(url).content.decode()
    assert SECRET not in html
    assert "Ringde &lt;b&gt;båda&lt;/b&gt;, allt väl." in html
    assert mentorship.mentee.email in html and "Tillfälle 2" in html


@pytest.mark.parametrize(
    "data,field",
    [
        ({}, "held_on"),
        ({"held_on": "2099-01-01", "with_whom": "both", "channel": "phone"}, "held_on"),
        ({"held_on": "1990-01-01", "with_whom": "both", "channel": "phone"}, "held_on"),
        ({"held_on": "not a date", "with_whom": "both", "channel": "phone"}, "held_on"),
        ({"held_on": "today", "with_whom": "someone", "channel": "phone"}, "with_whom"),
        ({"held_on": "today", "with_whom": "both", "channel": "pigeon"}, "channel"),
        ({"held_on": "today", "with_whom": "both", "channel": "phone", "note": "x" * 2001}, "note"),
    ],
)
def test_a_bad_check_in_is_refused_in_swedish_and_what_was_typed_stays(
    client_for, coordinator, mentorship, data, field
):
    if data.get("held_on") == "today":
        data["held_on"] = timezone.localdate().isoformat()
    data.setdefault("note", "Det här skrev jag")
    response = client_for(coordinator).post(reverse("program_pair", args=[mentorship.public_id]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert not CheckIn.objects.exists()
    html = response.content.decode()
    assert data["note"][:50] in html
    message = str(form.errors[field][0])
    assert any(word in message for word in ("fyllas i", "Fyll i", "Välj", "Säkerställ", "i dag", "fem år")), message
    # Said at the top of the form, which the page returns to (a phone shows it, not the page's top).
    assert 'action="#record-checkin"' in html and 'id="record-checkin"' in html
    assert "Avstämningen är inte sparad." in html


def test_the_check_in_form_has_no_empty_choice_ticked(client_for, coordinator, mentorship):
    html = client_for(coordinator).get(reverse("program_pair", args=[mentorship.public_id])).content.decode()
    radios = [tag for tag in html.split("<input") if 'name="with_whom"' in tag or 'name="channel"' in tag]
    assert len(radios) == 6 and not any('value=""' in tag or "checked" in tag for tag in radios)
    assert "Högst 2 000 tecken." in html


def test_the_pair_page_says_when_a_check_in_is_overdue(client_for, coordinator, mentorship):
    """As the program page's "Avstämning" label does: a date passed is not
    just the next date."""
    url = reverse("program_pair", args=[mentorship.public_id])
    today = timezone.localdate()
    Mentorship.objects.filter(pk=mentorship.pk).update(starts_on=today - dt.timedelta(days=90))
    late = client_for(coordinator).get(url).content.decode()
    assert "En avstämning är försenad: den skulle ha gjorts senast" in late
    Mentorship.objects.filter(pk=mentorship.pk).update(starts_on=today)
    on_time = client_for(coordinator).get(url).content.decode()
    assert "försenad" not in on_time and "Nästa avstämning" in on_time


def test_the_csv_export_holds_the_filter_and_cannot_run_formulas(client_for, coordinator, program):
    pairs = many_pairs(program, 3)
    evil = pairs[0].mentee
    evil.name = '=HYPERLINK("http://evil.example","klicka")'
    evil.save()
    response = client_for(coordinator).get(reverse("program_pairs_csv", args=[program.pk]) + "?status=active")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [program.name]
    assert rows[1] == ["Urval", "Status: Aktiv"]
    assert rows[4][0] == "Mentee"
    names = [row[0] for row in rows[5:]]
    assert '\'=HYPERLINK("http://evil.example","klicka")' in names
    assert len(names) == 3
    assert SECRET not in text


def test_the_excel_export_writes_text_as_text(client_for, coordinator, program):
    pairs = many_pairs(program, 2)
    evil = pairs[0].mentee
    evil.name = "+1-2@SUM(A1)"
    evil.save()
    response = client_for(coordinator).get(reverse("program_pairs_xlsx", args=[program.pk]) + "?q=Person")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet["A1"].value == program.name and "Sök" in sheet["B2"].value
    cells = [row[0] for row in sheet.iter_rows(min_row=6)]
    evil_cell = next(c for c in cells if c.value and c.value.startswith("+1"))
    assert evil_cell.data_type == "s" and evil_cell.value == "+1-2@SUM(A1)"
    assert all(SECRET not in str(c.value) for row in sheet.iter_rows() for c in row)


def test_the_exports_say_what_needs_attention_as_the_page_does_and_excel_gets_dates(client_for, coordinator, program):
    """A pair due for a check-in (and stalled: no agreement after weeks) says
    both, as the page's column does; its meeting dates are dates in Excel."""
    today = timezone.localdate()
    pair = MentorshipFactory(program=program, starts_on=today - 40 * DAY)
    MeetingFactory(mentorship=pair, number=1, starts_at=timezone.now() - 20 * DAY, status=MeetingStatus.HELD)
    client = client_for(coordinator)
    page = client.get(page_url(program)).content.decode()
    assert "Dags för avstämning" in page
    text = client.get(reverse("program_pairs_csv", args=[program.pk])).content.decode("utf-8")
    row = next(r for r in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";") if pair.mentee.email in r)
    assert "Dags för avstämning" in row[11]
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("program_pairs_xlsx", args=[program.pk])).content))
    sheet_row = next(r for r in book.active.iter_rows(min_row=6) if r[1].value == pair.mentee.email)
    assert "Dags för avstämning" in sheet_row[11].value
    assert isinstance(sheet_row[9].value, dt.datetime) and sheet_row[9].is_date  # latest meeting
    assert isinstance(sheet_row[12].value, dt.datetime) and sheet_row[12].is_date  # next check-in


def test_the_funder_report_counts_the_period_without_names_by_default(client_for, coordinator):
    program = MentorshipFactory(program__kind=ProgramKind.ASSOCIATIONS).program
    program.starts_on = dt.date(2026, 1, 1)
    program.save()
    Mentorship.objects.all().delete()
    a, b = OrganisationFactory(name="Förening A"), OrganisationFactory(name="Förening B")
    program.coordinators.add(coordinator)
    first = MentorshipFactory(
        program=program, starts_on=dt.date(2026, 2, 3), mentee_organisation=a, mentor_organisation=b
    )
    second = MentorshipFactory(
        program=program, starts_on=dt.date(2026, 3, 10), mentee_organisation=b, mentor_organisation=a
    )
    MentorshipFactory(
        program=program, starts_on=dt.date(2026, 6, 1), status=MentorshipStatus.ENDED, ends_on=dt.date(2026, 9, 1)
    )
    at = dt.datetime(2026, 3, 15, 18, 0, tzinfo=dt.UTC)
    Meeting.objects.create(
        mentorship=first, number=1, starts_at=at, ends_at=at + dt.timedelta(hours=2), status="held", summary=SECRET
    )
    Meeting.objects.create(mentorship=first, number=2, starts_at=at + 30 * DAY, status="booked")  # passed: held, 1.5 h
    Meeting.objects.create(mentorship=second, number=1, starts_at=at + 40 * DAY, status="cancelled")
    client = client_for(coordinator)
    url = reverse("program_report", args=[program.pk])
    response = client.get(url + "?starts=2026-02-01&ends=2026-04-30")
    report = response.context["report"]
    assert (report.started, report.active, report.ended) == (2, 2, 0)
    assert (report.meetings, report.hours) == (2, 3.5)
    assert (report.mentees, report.mentors) == (2, 2)
    assert [(m["month"].month, m["started"], m["meetings"]) for m in report.months] == [(2, 1, 0), (3, 1, 1), (4, 0, 1)]
    assert [(x["name"], x["mentee"], x["mentor"], x["meetings"]) for x in report.associations] == [
        ("Förening A", 1, 1, 2),
        ("Förening B", 1, 1, 2),
    ]
    html = response.content.decode()
    assert first.mentee.display_name not in html and SECRET not in html
    named = client.get(url + "?starts=2026-02-01&ends=2026-04-30&names=on").content.decode()
    assert first.mentee.display_name in named and SECRET not in named
    as_csv = client.get(url + "?starts=2026-02-01&ends=2026-04-30&format=csv").content.decode()
    assert "Genomförda tillfällen;2" in as_csv and first.mentee.display_name not in as_csv
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(url + "?starts=2026-02-01&ends=2026-04-30&format=xlsx").content)
    )
    assert book.sheetnames[:2] == ["Sammanfattning", "Månad för månad"]


@pytest.mark.parametrize(
    "query",
    [
        "starts=2026-05-01&ends=2026-01-01",
        "starts=banan&ends=2026-01-01",
        "starts=1900-01-01&ends=2026-01-01",
        "starts=",
    ],
)
def test_a_bad_report_period_is_explained(client_for, coordinator, program, query):
    response = client_for(coordinator).get(reverse("program_report", args=[program.pk]) + "?" + query)
    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["form"].errors


@pytest.mark.parametrize(
    "url",
    [
        lambda p: page_url(p),
        lambda p: page_url(p, attention="stalled"),
        lambda p: page_url(p, q="Person", sort="quiet"),
        lambda p: page_url(p, attention="checkin", page=1),
        lambda p: reverse("program_report", args=[p.pk]) + "?starts=2026-01-01&ends=2026-12-31&names=on",
        lambda p: reverse("program_pair", args=[p.mentorships.first().public_id]),
    ],
)
def test_query_counts_do_not_grow_from_10_to_500_pairs(client_for, coordinator, program, url):
    client = client_for(coordinator)
    many_pairs(program, 10)

    def count():
        """The queries of a view that computes the figures, and of the next,
        which reads them from the cache (programs.figures)."""
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(url(program)).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get(url(program)).status_code == 200
        return len(cold), len(warm)

    client.get(url(program))  # the session's first request writes its row
    few = count()
    many_pairs(program, 490, tag="q")
    assert count() == few
    assert few[1] <= few[0]


def test_the_chart_draws_one_bar_a_month_in_its_own_place_and_by_its_share(client_for, coordinator, program):
    many_pairs(program, 3)
    response = client_for(coordinator).get(page_url(program))
    months = response.context["months"]
    assert len(months) >= 2
    html = response.content.decode()
    for index, month in enumerate(months):
        assert month["x"] == index * 40
        assert month["height"] == round(month["share"] * 95) and month["y"] == 115 - month["height"]
        assert f'<g transform="translate({month["x"]},0)">' in html
        assert f'<rect x="5" y="{month["y"]}" width="30" height="{month["height"]}"' in html
    highest = max(months, key=lambda month: month["count"])
    assert highest["count"] > 0 and highest["height"] == 95
    assert "translate(,0)" not in html and 'height=""' not in html


def test_a_filter_that_finds_nothing_offers_no_download(client_for, coordinator, program):
    many_pairs(program, 2)
    client = client_for(coordinator)
    found = client.get(reverse("program_detail", args=[program.pk])).content.decode()
    assert "par.csv" in found and "par.xlsx" in found
    nothing = client.get(reverse("program_detail", args=[program.pk]) + "?q=ingen-sadan-person").content.decode()
    assert "0 par" in nothing and "par.csv" not in nothing and "par.xlsx" not in nothing
