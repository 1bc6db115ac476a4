"""The coordinator's admin: who sees and edits what, the pair list, adding a
pair by e-mail, and which note text the admin shows."""

import datetime as dt
import uuid

import pytest
from django.contrib.admin import ModelAdmin, RelatedOnlyFieldListFilter
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from outbox.models import OutgoingMail
from programs.models import FocusArea, Mentorship, MentorshipStatus, Program, ProgramKind
from sessions.models import Agreement, Comment, Confidentiality, Meeting, MeetingStatus, ReminderItem
from tests.helpers.admin_forms import admin_url, change_url

from .factories import AgreementFactory, MeetingFactory, MentorshipFactory, ProgramFactory, UserFactory
from .helpers.admin_forms import pair_form, program_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


SECRET_PURPOSE = "Hemligt-syfte-7f3a"
SECRET_SUMMARY = "Hemlig-sammanfattning-91bc"
SECRET_REFLECTION = "Hemlig-reflektion-c0de"
SECRET_MEETING_SUMMARY = "Hemliga-anteckningar-5e5e"


@pytest.fixture
def journal(mentorship):
    """The pair's agreement and a held meeting, with text no coordinator may read unless allowed."""
    agreement = AgreementFactory(
        mentorship=mentorship,
        purpose_and_goals=SECRET_PURPOSE,
        summary=SECRET_SUMMARY,
        mentee_confirmed_at=timezone.now(),
        mentor_confirmed_at=timezone.now(),
    )
    meeting = MeetingFactory(
        mentorship=mentorship,
        number=2,
        starts_at=timezone.now() - dt.timedelta(days=3),
        status=MeetingStatus.HELD,
        reflection=SECRET_REFLECTION,
        summary=SECRET_MEETING_SUMMARY,
    )
    return agreement, meeting


@pytest.fixture
def other_journal(other_program):
    pair = MentorshipFactory(program=other_program)
    agreement = AgreementFactory(mentorship=pair, purpose_and_goals="Annat program")
    meeting = MeetingFactory(mentorship=pair, number=1)
    return pair, agreement, meeting


# --- Who sees what ---------------------------------------------------------------


def test_superuser_sees_everything(client_for, superuser, mentorship, journal, other_journal):
    other_pair, other_agreement, other_meeting = other_journal
    agreement, meeting = journal
    client = client_for(superuser)
    response = client.get(admin_url(Mentorship))
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {mentorship, other_pair}
    assert set(client.get(admin_url(Program)).context["cl"].result_list) == {mentorship.program, other_pair.program}
    for obj in (mentorship.program, other_pair.program, mentorship, other_pair, agreement, other_agreement, meeting):
        assert client.get(change_url(obj)).status_code == 200, obj


def test_coordinator_sees_only_their_programs(client_for, coordinator, mentorship, journal, other_journal):
    other_pair, other_agreement, other_meeting = other_journal
    agreement, meeting = journal
    client = client_for(coordinator)

    lists = {
        Program: {mentorship.program},
        Mentorship: {mentorship},
        type(agreement): {agreement},
        type(meeting): {meeting},
    }
    for model, expected in lists.items():
        response = client.get(admin_url(model))
        assert response.status_code == 200, model
        assert set(response.context["cl"].result_list) == expected, model
    for obj in (mentorship.program, mentorship, agreement, meeting):
        assert client.get(change_url(obj)).status_code == 200, obj


@pytest.mark.parametrize("which", ["program", "mentorship", "agreement", "meeting"])
def test_coordinator_of_another_program_gets_404(client_for, other_coordinator, mentorship, journal, which):
    agreement, meeting = journal
    obj = {"program": mentorship.program, "mentorship": mentorship, "agreement": agreement, "meeting": meeting}[which]
    client = client_for(other_coordinator)
    assert client.get(change_url(obj)).status_code == 404
    # Agreements and meetings are read-only in the admin: a POST is refused
    # before the lookup, the same for every id, so it tells nothing either.
    posted = client.post(change_url(obj), {}).status_code
    assert posted == (403 if which in ("agreement", "meeting") else 404)
    unknown = uuid.uuid4() if hasattr(obj, "public_id") else 987654
    assert client.post(admin_url(type(obj), "change", unknown), {}).status_code == posted
    assert client.get(admin_url(type(obj), "delete", obj.pk)).status_code == (403 if posted == 403 else 404)
    assert client.get(admin_url(type(obj), "history", obj.pk)).status_code == 404
    assert obj not in client.get(admin_url(type(obj))).context["cl"].result_list


def test_other_coordinator_does_not_find_the_pair_by_search(client_for, other_coordinator, mentorship):
    response = client_for(other_coordinator).get(admin_url(Mentorship), {"q": "mentee@example.org"})
    assert list(response.context["cl"].result_list) == []
    assert "Maja Mentee" not in response.content.decode()


def test_other_coordinators_program_is_not_in_the_filters(client_for, coordinator, other_journal):
    other_pair, _agreement, _meeting = other_journal
    response = client_for(coordinator).get(admin_url(Mentorship))
    assert other_pair.program.name not in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "mentee", "anonymous"])
def test_non_staff_are_sent_to_the_admin_login(client_for, request, mentorship, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user)
    for url in (reverse("admin:index"), admin_url(Mentorship), change_url(mentorship), change_url(mentorship.program)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_staff_user_without_programs_cannot_see_pairs(client_for, mentorship):
    staff = UserFactory(email="personal@example.org", is_staff=True)
    client = client_for(staff)
    assert client.get(admin_url(Mentorship)).status_code == 403
    assert client.get(change_url(mentorship)).status_code in (403, 404)


def test_coordinator_edits_their_program(client_for, coordinator, program, mentorship):
    response = client_for(coordinator).post(
        change_url(program),
        program_form(
            name="Ledarskap 2026 (vår)",
            kind=ProgramKind.INDIVIDUALS,
            starts_on=program.starts_on,
            stalled_after_weeks=3,
        ),
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    program.refresh_from_db()
    assert program.name == "Ledarskap 2026 (vår)"
    assert program.stalled_after_weeks == 3
    # The pairs are edited on their own page (tests/test_admin_program_page.py).
    assert Mentorship.objects.get(pk=mentorship.pk).status == MentorshipStatus.ACTIVE
    # The coordinator cannot remove themselves, nor add others: the field is not theirs.
    assert list(program.coordinators.all()) == [coordinator]


def test_coordinator_cannot_pick_another_program_for_a_pair(client_for, coordinator, other_program):
    response = client_for(coordinator).get(admin_url(Mentorship, "add"))
    choices = {str(p) for p in response.context["adminform"].form.fields["program"].queryset}
    assert choices == {"Ledarskap 2026"}
    assert other_program.name not in response.content.decode()


def test_coordinator_creating_a_program_coordinates_it(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(
        admin_url(Program, "add"),
        program_form(name="Nytt program", kind=ProgramKind.ASSOCIATIONS, starts_on=timezone.localdate()),
    )
    assert response.status_code == 302
    created = Program.objects.get(name="Nytt program")
    assert list(created.coordinators.all()) == [coordinator]
    assert client.get(change_url(created)).status_code == 200


# --- The pair list -------------------------------------------------------------


def test_pair_changelist_columns(client_for, coordinator, mentorship, journal):
    _agreement, held = journal
    upcoming = MeetingFactory(mentorship=mentorship, number=3, starts_at=timezone.now() + dt.timedelta(days=5))
    MeetingFactory(
        mentorship=mentorship, number=4, starts_at=timezone.now() + dt.timedelta(days=2), status=MeetingStatus.CANCELLED
    )
    response = client_for(coordinator).get(admin_url(Mentorship))
    cl = response.context["cl"]
    assert [c for c in cl.list_display if c != "action_checkbox"] == [
        "mentee_person",  # with a bounce under the name: tests/test_admin_mail_bounces.py
        "mentor_person",
        "program",
        "status",
        "agreement_confirmed",
        "meetings_held",
        "next_meeting",
    ]
    row = cl.result_list[0]
    admin = cl.model_admin
    assert admin.agreement_confirmed(row) is True
    assert admin.meetings_held(row) == 1
    assert admin.next_meeting(row) == upcoming.starts_at
    html = response.content.decode()
    for text in ("Ledarskap 2026", "Erik Mentor", "Maja Mentee"):
        assert text in html


def test_the_pair_list_checkbox_is_djangos_own(client_for, coordinator, mentorship):
    """MentorshipAdmin writes the row's checkbox out rather than through the
    widget's template: the same HTML, in both languages."""
    admin = client_for(coordinator).get(admin_url(Mentorship)).context["cl"].model_admin
    mentorship.mentee.name = 'Maja "<b>" Mentee'
    for language in ("sv", "en"):
        with translation.override(language):
            assert admin.action_checkbox(mentorship) == ModelAdmin.action_checkbox(admin, mentorship)


def test_one_programs_list_is_newest_first_with_its_counts(client_for, coordinator, program, mentorship, journal):
    """Filtered by program, the list is read newest first from the index
    (MentorshipAdmin.get_ordering) with the same counts as unfiltered."""
    newer = MentorshipFactory(program=program)
    client = client_for(coordinator)
    cl = client.get(admin_url(Mentorship) + f"?program__id__exact={program.pk}").context["cl"]
    assert [p.pk for p in cl.result_list] == [newer.pk, mentorship.pk]
    assert [cl.model_admin.meetings_held(p) for p in cl.result_list] == [0, 1]
    everything = client.get(admin_url(Mentorship)).context["cl"]
    assert [p.pk for p in everything.result_list] == [newer.pk, mentorship.pk]


def test_pair_without_agreement_is_not_confirmed(client_for, coordinator, mentorship):
    response = client_for(coordinator).get(admin_url(Mentorship))
    cl = response.context["cl"]
    row = cl.result_list[0]
    assert cl.model_admin.agreement_confirmed(row) is False
    assert cl.model_admin.meetings_held(row) == 0
    assert cl.model_admin.next_meeting(row) is None


def test_pair_changelist_filters(client_for, coordinator, program, mentorship):
    focus = FocusArea.objects.get(name="Samverkan")
    mentorship.focus_areas.add(focus)
    ended = MentorshipFactory(program=program, status=MentorshipStatus.ENDED)
    second_program = ProgramFactory(name="Andra programmet")
    second_program.coordinators.add(coordinator)
    elsewhere = MentorshipFactory(program=second_program)
    client = client_for(coordinator)

    cl = client.get(admin_url(Mentorship)).context["cl"]
    # Our program and focus-area filters are RelatedOnlyFieldListFilters whose
    # choices come from the programs' figures (programs/admin/pair_filters.py).
    assert sum(isinstance(f, RelatedOnlyFieldListFilter) for f in cl.filter_specs) == 2
    assert {type(f).__name__ for f in cl.filter_specs} >= {"ChoicesFieldListFilter"}
    assert len(cl.filter_specs) == 3
    choices = {
        f.field_path: {name for _pk, name in f.lookup_choices} for f in cl.filter_specs if f.field_path != "status"
    }
    # The template's focus areas are stored in Swedish and shown in the reader's language.
    assert choices == {"program": {program.name, "Andra programmet"}, "focus_areas": {"Collaboration"}}

    def listed(**params):
        response = client.get(admin_url(Mentorship), params)
        assert response.status_code == 200
        return set(response.context["cl"].result_list)

    assert listed() == {mentorship, ended, elsewhere}
    assert listed(program__id__exact=program.pk) == {mentorship, ended}
    assert listed(status__exact=MentorshipStatus.ENDED) == {ended}
    assert listed(focus_areas__id__exact=focus.pk) == {mentorship}


def test_pair_filters_follow_writes(client_for, coordinator, program, mentorship):
    """The choices are kept with the programs' figures: a program without
    pairs is not offered until it has one, a focus area only once a pair chose it."""
    areas = list(FocusArea.objects.filter(kind=program.kind)[:3])
    mentorship.focus_areas.add(areas[0])
    second = ProgramFactory(name="Andra programmet", kind=program.kind)
    MentorshipFactory(program=second).focus_areas.add(areas[1])
    empty = ProgramFactory(name="Tomt program")
    for each in (second, empty):
        each.coordinators.add(coordinator)
    client = client_for(coordinator)

    def choices():
        cl = client.get(admin_url(Mentorship)).context["cl"]
        return {
            f.field_path: {name for _pk, name in f.lookup_choices} for f in cl.filter_specs if f.field_path != "status"
        }

    with translation.override("en"):
        names = [str(area) for area in areas]
    assert choices() == {"program": {program.name, second.name}, "focus_areas": set(names[:2])}
    MentorshipFactory(program=empty)
    assert choices()["program"] == {program.name, second.name, empty.name}
    mentorship.focus_areas.add(areas[2])
    assert choices()["focus_areas"] == set(names)


def test_pair_changelist_search_by_name_and_email(client_for, coordinator, mentorship, other_mentorship):
    client = client_for(coordinator)

    def found(q):
        return set(client.get(admin_url(Mentorship), {"q": q}).context["cl"].result_list)

    # Part of a name finds the pair; the other pair's names come from Faker, so
    # the query must be one no generated Swedish name contains.
    assert found("Mentee") == {mentorship}
    assert found("Erik Mentor") == {mentorship}
    assert found("mentee@example.org") == {mentorship}
    assert found("MENTOR@EXAMPLE") == {mentorship}
    assert found(other_mentorship.mentee.email) == {other_mentorship}
    assert found("ingen-sådan") == set()


def _pairs_with_journals(program, count):
    for _ in range(count):
        pair = MentorshipFactory(program=program)
        pair.focus_areas.add(*FocusArea.objects.filter(kind=program.kind)[:2])
        AgreementFactory(mentorship=pair, mentee_confirmed_at=timezone.now(), mentor_confirmed_at=timezone.now())
        MeetingFactory(mentorship=pair, number=1, starts_at=timezone.now() - dt.timedelta(days=7))
        MeetingFactory(mentorship=pair, number=2)


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
@pytest.mark.parametrize("filtered", [False, True], ids=["all", "one-program"])
def test_pair_changelist_queries_do_not_grow_with_pairs(
    client_for, request, program, django_assert_max_num_queries, who, filtered
):
    """With a filter, every row's link carries it, and the admin resolves each
    link again: that cost a query per row until the public ids were known."""
    program.coordinators.add(request.getfixturevalue("coordinator"))
    client = client_for(request.getfixturevalue(who))
    params = {"program__id__exact": program.pk} if filtered else {}
    _pairs_with_journals(program, 1)
    client.get(admin_url(Mentorship), params)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one_pair:
        assert client.get(admin_url(Mentorship), params).status_code == 200
    one_pair = len(one_pair)  # counted now: the next request starts the log afresh

    _pairs_with_journals(program, 29)
    # The filters' choices are kept with the program's figures, which the new
    # pairs renewed: the first view reads them afresh (two queries), as the
    # first view above did.
    client.get(admin_url(Mentorship), params)
    with django_assert_max_num_queries(one_pair):
        response = client.get(admin_url(Mentorship), params)
    assert len(response.context["cl"].result_list) == 30


def test_a_filtered_pair_list_counts_the_pairs_once(client_for, coordinator, program):
    """Only what the filter found is counted: the count of every pair beside it
    cost as much again at 10,000 pairs, and the program page has the totals."""
    program.coordinators.add(coordinator)
    _pairs_with_journals(program, 2)
    client = client_for(coordinator)
    params = {"program__id__exact": program.pk}
    client.get(admin_url(Mentorship), params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(Mentorship), params)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counts) == 1, counts
    assert "2 pairs" in response.text and "Show all" in response.text


# --- Adding a pair ---------------------------------------------------------------


def _pair_form(program, **overrides):
    people = {"mentor_email": "Ny.Mentor@Example.org", "mentor_name": "Nils Mentor", "mentee_name": "Nora Mentee"}
    return pair_form(program, **{**people, "mentee_email": "ny.mentee@example.org", **overrides})


def test_coordinator_adds_a_pair_by_email(client_for, coordinator, program):
    focus = FocusArea.objects.get(name="Utveckling i befintlig roll")
    response = client_for(coordinator).post(admin_url(Mentorship, "add"), _pair_form(program, focus_areas=[focus.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    pair = Mentorship.objects.get(program=program)
    assert pair.mentor.email == "ny.mentor@example.org"
    assert pair.mentor.name == "Nils Mentor"
    assert pair.mentee.email == "ny.mentee@example.org"
    assert pair.mentee.name == "Nora Mentee"
    assert not pair.mentee.has_usable_password()
    assert list(pair.focus_areas.all()) == [focus]
    # Both new people are invited through the outbox.
    assert set(OutgoingMail.objects.filter(mentorship=pair).values_list("recipient__email", flat=True)) == {
        "ny.mentor@example.org",
        "ny.mentee@example.org",
    }


def test_adding_a_pair_with_existing_people_reuses_them(client_for, coordinator, program, mentor, mentee):
    response = client_for(coordinator).post(
        admin_url(Mentorship, "add"),
        _pair_form(program, mentor_email="MENTOR@example.org", mentor_name="", mentee_email=mentee.email),
    )
    assert response.status_code == 302
    pair = Mentorship.objects.get(program=program)
    assert (pair.mentor, pair.mentee) == (mentor, mentee)
    assert User.objects.count() == 3
    # An import never overwrites a name people gave themselves.
    mentee.refresh_from_db()
    assert mentee.name == "Maja Mentee"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"mentee_email": "NY.MENTOR@example.org"}, "different people"),
        ({"mentor_email": "inte-en-adress"}, "valid email"),
        ({"starts_on": "2026-05-01", "ends_on": "2026-04-01"}, "end date"),
    ],
)
def test_adding_a_bad_pair_shows_the_error(client_for, coordinator, program, overrides, message):
    client = client_for(coordinator)
    client.get(admin_url(Mentorship, "add"))
    response = client.post(admin_url(Mentorship, "add"), _pair_form(program, **overrides))
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors).lower()
    assert not Mentorship.objects.exists()


def test_adding_a_duplicate_pair_shows_the_error(client_for, coordinator, program, mentorship):
    response = client_for(coordinator).post(
        admin_url(Mentorship, "add"),
        _pair_form(program, mentor_email="Mentor@Example.org", mentee_email="mentee@example.org"),
    )
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors)
    assert Mentorship.objects.count() == 1


def test_coordinator_cannot_add_a_pair_to_another_program(client_for, coordinator, other_program):
    response = client_for(coordinator).post(admin_url(Mentorship, "add"), _pair_form(other_program))
    assert response.status_code == 200
    assert "program" in response.context["adminform"].form.errors
    assert not Mentorship.objects.exists()


def test_coordinator_edits_a_pair(client_for, coordinator, program, mentorship):
    response = client_for(coordinator).post(
        change_url(mentorship),
        _pair_form(
            program,
            mentor_email=mentorship.mentor.email,
            mentor_name="",
            mentee_email=mentorship.mentee.email,
            mentee_name="",
            status=MentorshipStatus.ACTIVE,
            starts_on="2026-01-10",
        ),
    )
    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.starts_on == dt.date(2026, 1, 10)
    # Editing an existing pair invites nobody.
    assert not OutgoingMail.objects.exists()


# --- Confidential text ---------------------------------------------------------


def _admin_html(client, mentorship, agreement, meeting):
    pages = [
        admin_url(Mentorship),
        change_url(mentorship),
        change_url(mentorship.program),
        admin_url(type(agreement)),
        change_url(agreement),
        admin_url(type(meeting)),
        change_url(meeting),
    ]
    html = ""
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html += response.content.decode()
    return html


@pytest.mark.parametrize(
    ("level", "agreement_shown", "notes_shown"),
    [
        (Confidentiality.PRIVATE, False, False),
        (Confidentiality.AGREEMENT, True, False),
        (Confidentiality.OPEN, True, True),
    ],
)
@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_confidential_text_follows_the_pairs_level(
    client_for, request, mentorship, journal, level, agreement_shown, notes_shown, who
):
    agreement, meeting = journal
    agreement.confidentiality = agreement.shared_confidentiality = level  # both confirmed it
    agreement.save()
    html = _admin_html(client_for(request.getfixturevalue(who)), mentorship, agreement, meeting)

    assert (SECRET_PURPOSE in html) is agreement_shown
    # The agreement's summary is meeting 1's notes: shared only with the notes.
    assert (SECRET_SUMMARY in html) is notes_shown
    assert (SECRET_REFLECTION in html) is notes_shown
    assert (SECRET_MEETING_SUMMARY in html) is notes_shown
    # The metadata is always there.
    assert "Maja Mentee" in html


def test_pair_without_agreement_keeps_meeting_notes_private(client_for, coordinator, mentorship):
    meeting = MeetingFactory(mentorship=mentorship, number=1, summary=SECRET_MEETING_SUMMARY)
    response = client_for(coordinator).get(change_url(meeting))
    assert response.status_code == 200
    assert SECRET_MEETING_SUMMARY not in response.content.decode()


def test_coordinator_cannot_change_agreements_or_meetings(client_for, coordinator, journal):
    agreement, meeting = journal
    client = client_for(coordinator)
    for obj in (agreement, meeting):
        response = client.post(change_url(obj), {"purpose_and_goals": "Ändrat", "summary": "Ändrat"})
        assert response.status_code == 403
        assert client.get(admin_url(type(obj), "delete", obj.pk)).status_code == 403
        assert client.get(admin_url(type(obj), "add")).status_code == 403
    agreement.refresh_from_db()
    meeting.refresh_from_db()
    assert agreement.purpose_and_goals == SECRET_PURPOSE
    assert meeting.summary == SECRET_MEETING_SUMMARY


def test_outbox_is_for_superusers_only(client_for, coordinator, superuser):
    assert client_for(coordinator).get(admin_url(OutgoingMail)).status_code == 403
    assert client_for(superuser).get(admin_url(OutgoingMail)).status_code == 200


def test_program_kind_is_shown_in_swedish(client_for, coordinator, program, mentorship):
    client = client_for(coordinator)
    response = client.get(admin_url(Program), HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    html = response.content.decode()
    assert program.name in html
    assert "Mellan individer" in html  # the kind, from the Swedish catalogue
    # The pair list's own columns and the pair form's own labels, too.
    assert ">Överens<" in client.get(admin_url(Mentorship), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert (
        "Mentorns e-postadress" in client.get(admin_url(Mentorship, "add"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    )


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_delete_pages_do_not_show_note_text(client_for, request, mentorship, journal, who):
    """Deleting lists what goes with the pair; "kom ihåg" items and comments are note text."""
    _agreement, meeting = journal
    ReminderItem.objects.create(meeting=meeting, text="Hemlig-kom-ihåg-4242")
    Comment.objects.create(meeting=meeting, author=mentorship.mentor, text="Hemlig-kommentar-2424")
    client = client_for(request.getfixturevalue(who))
    delete_page = client.get(admin_url(Mentorship, "delete", mentorship.pk))
    # A coordinator may not delete a pair whose journal has started; a superuser may, and sees the list.
    assert delete_page.status_code == (200 if who == "superuser" else 403)
    listing = [
        client.post(admin_url(Mentorship), {"action": "delete_selected", "_selected_action": [mentorship.pk]}),
        client.get(admin_url(Program, "delete", mentorship.program.pk)),
    ]
    assert [response.status_code for response in listing] == [200, 200]
    for response in [delete_page, *listing]:
        html = response.content.decode()
        for secret in ("Hemlig-kom-ihåg-4242", "Hemlig-kommentar-2424", SECRET_PURPOSE, SECRET_MEETING_SUMMARY):
            assert secret not in html
    assert Mentorship.objects.filter(pk=mentorship.pk).exists()


def test_program_changelist_queries_do_not_grow_with_programs(client_for, coordinator, django_assert_max_num_queries):
    client = client_for(coordinator)
    for _ in range(3):
        ProgramFactory().coordinators.add(coordinator)
    client.get(admin_url(Program))
    with CaptureQueriesContext(connection) as few:
        client.get(admin_url(Program))
    for _ in range(20):
        program = ProgramFactory()
        program.coordinators.add(coordinator)
        _pairs_with_journals(program, 1)
    with django_assert_max_num_queries(len(few)):
        assert len(client.get(admin_url(Program)).context["cl"].result_list) == 24


@pytest.mark.parametrize("model", ["agreement", "meeting"])
def test_journal_changelists_queries_do_not_grow(
    client_for, coordinator, program, model, django_assert_max_num_queries
):
    url = admin_url({"agreement": Agreement, "meeting": Meeting}[model])
    client = client_for(coordinator)
    _pairs_with_journals(program, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as one_pair:
        client.get(url)
    _pairs_with_journals(program, 19)
    with django_assert_max_num_queries(len(one_pair)):
        assert client.get(url).status_code == 200


def test_a_new_coordinator_without_programs_sees_an_empty_list_and_can_add_one(client_for, db):
    newcomer = UserFactory(email="ny.samordnare@example.org", is_staff=True)
    client = client_for(newcomer)
    assert client.get(reverse("admin:programs_program_changelist")).status_code == 200
    assert client.get(reverse("admin:programs_program_add")).status_code == 200


def test_the_admin_carries_our_name_in_swedish(client_for, coordinator):
    with translation.override("sv"):
        html = client_for(coordinator).get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Mentorskap – administration" in html
    assert "Django-administration" not in html


def test_the_superusers_admin_index_is_swedish_throughout(client_for, superuser):
    with translation.override("sv"):
        html = client_for(superuser).get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    for english in ("User sessions", "Authenticators", ">MFA<", "Epost-adresser"):
        assert english not in html, english
    assert html.count(">Konton<") <= 1
    assert "Tvåfaktorsautentisering" in html
