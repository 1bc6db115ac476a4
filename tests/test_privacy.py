"""Issue 12: My data (export), erasure and retention."""

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outbox.models import MailStatus, OutgoingMail
from privacy.models import ErasureRequest, ErasureStatus
from privacy.sections import ERASED_TEXT, SECTIONS, Section
from privacy.selectors import personal_data_export
from privacy.services import erasure_request, personal_data_erase, retention_apply
from programs.models import BackgroundCheck, CheckIn, Mentorship, PairImportUpload
from sessions.models import AgreementVersion, Comment, ReminderItem
from surveys.models import Answer, Survey, SurveyKind
from surveys.models import Invitation as SurveyInvitation
from tests.factories import (
    AgreementFactory,
    MeetingFactory,
    MentorshipFactory,
    OutgoingMailFactory,
    ProgramFactory,
    UserFactory,
)


@pytest.fixture
def journal(mentorship, mentee, mentor, coordinator):
    agreement = AgreementFactory(mentorship=mentorship, purpose_and_goals="Maja vill leda styrelsen.")
    AgreementVersion.objects.create(agreement=agreement, version=1, content={"roles": "Maja driver"}, saved_by=mentee)
    meeting = MeetingFactory(mentorship=mentorship, number=1, summary="Vi pratade om Maja Mentee och familjen.")
    ReminderItem.objects.create(meeting=meeting, text="Ringa kassören")
    Comment.objects.create(meeting=meeting, author=mentor, text="Bra jobbat, Maja Mentee!")
    Comment.objects.create(meeting=meeting, author=mentee, text="Tack Erik")
    CheckIn.objects.create(
        mentorship=mentorship,
        held_on=timezone.localdate(),
        with_whom="both",
        channel="phone",
        note="Maja Mentee mår bra",
        recorded_by=coordinator,
    )
    OutgoingMailFactory(recipient=mentee, mentorship=mentorship)
    # A named survey's answer is the mentee's; the extract's record names them too.
    survey = Survey.objects.create(program=mentorship.program, kind=SurveyKind.CHECKIN, anonymous=False)
    asked = SurveyInvitation.objects.create(
        survey=survey,
        mentorship=mentorship,
        person=mentee,
        opens_at=timezone.now(),
        closes_at=timezone.now() + dt.timedelta(days=30),
        answered=True,
    )
    Answer.objects.create(
        survey=survey,
        invitation=asked,
        value=4,
        frequency="monthly",
        best="Maja Mentee lärde sig leda möten",
        recommend=9,
        extra={"1": "Maja Mentee vill fortsätta"},
    )
    BackgroundCheck.objects.create(
        person=mentee, extract_date=timezone.localdate(), shown_on=timezone.localdate(), checked_by=coordinator
    )
    return mentorship


def test_export_holds_every_kind_and_nothing_of_another_pair(journal, mentee, other_mentorship):
    AgreementFactory(mentorship=other_mentorship, purpose_and_goals="Hemligt för andra")
    data = personal_data_export(mentee)
    text = json.dumps(data, default=str)
    assert data["account"]["email"] == "mentee@example.org"
    pair = data["pairs"][0]
    assert pair["agreement"]["purpose_and_goals"] == "Maja vill leda styrelsen."
    assert pair["agreement"]["versions"][0]["content"] == {"roles": "Maja driver"}
    assert pair["meetings"][0]["remember"][0]["text"] == "Ringa kassören"
    assert {c["text"] for c in pair["meetings"][0]["comments"]} == {"Bra jobbat, Maja Mentee!", "Tack Erik"}
    assert pair["checkins"][0]["note"] == "Maja Mentee mår bra"
    assert len(data["mail"]) == 1
    assert data["surveys"]["named_answers"][0]["best"] == "Maja Mentee lärde sig leda möten"
    assert data["surveys"]["asked"][0]["answered"] is True
    assert "Hemligt för andra" not in text
    assert other_mentorship.mentee.email not in text


def test_export_query_count_does_not_grow(journal, mentee, program):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            personal_data_export(mentee)
        return len(ctx.captured_queries)

    few = count()
    for n in range(3):
        pair = MentorshipFactory(program=ProgramFactory(), mentee=mentee)
        meeting = MeetingFactory(mentorship=pair, number=1)
        Comment.objects.create(meeting=meeting, author=pair.mentor, text=f"c{n}")
        OutgoingMailFactory(recipient=mentee)
    assert count() == few


def test_export_command(journal):
    out = StringIO()
    call_command("export_personal_data", "MENTEE@example.org", stdout=out)
    assert json.loads(out.getvalue())["account"]["name"] == "Maja Mentee"


def _search_everywhere(needles):
    """Every text, varchar, jsonb and bytea column of every table."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'bytea')"
        )
        for table, column, kind in cursor.fetchall():
            expr = f"convert_from(\"{column}\", 'UTF8')" if kind == "bytea" else f'"{column}"::text'
            for needle in needles:
                cursor.execute(f'SELECT count(*) FROM "{table}" WHERE {expr} ILIKE %s', [f"%{needle}%"])
                if cursor.fetchone()[0]:
                    found.append((table, column, needle))
    return found


def test_erasure_leaves_neither_address_nor_name(postgres, journal, mentee, mentor, coordinator, superuser):
    mentee_type = ContentType.objects.get_for_model(Mentorship)
    LogEntry.objects.create(
        user=coordinator,
        content_type=mentee_type,
        object_id=str(journal.pk),
        object_repr=str(journal),
        action_flag=ADDITION,
        change_message='[{"added": {"name": "Maja Mentee"}}]',
    )
    PairImportUpload.objects.create(token="t", uploaded_by=coordinator, data=b"mentee@example.org;Maja Mentee")
    pending = OutgoingMail.objects.get(recipient=mentee)
    erasure_request(user=mentee, message="Radera mig, Maja Mentee")

    report = personal_data_erase(user=mentee, by=superuser)

    assert report["account"] == 1
    assert _search_everywhere(["mentee@example.org", "Maja Mentee"]) == []
    pending.refresh_from_db()
    assert pending.status == MailStatus.CANCELLED
    mentee.refresh_from_db()
    assert not mentee.is_active and not mentee.has_usable_password()
    # The other party's own notes stay, without the name.
    assert Comment.objects.get(author=mentor).text.startswith("Bra jobbat")
    assert Comment.objects.get(author=mentee).text == ERASED_TEXT
    assert ErasureRequest.objects.get().status == ErasureStatus.DONE
    # The named answer keeps its numbers, not its words; the trail was told and then cleaned.
    answer = Answer.objects.get()
    assert (answer.value, answer.recommend, answer.best, answer.extra) == (4, 9, ERASED_TEXT, {"1": ERASED_TEXT})
    assert report["audit_trail"] >= 1 and report["background_checks"] == 1
    # A second run changes nothing.
    assert personal_data_erase(user=mentee) == {}


def test_erasure_takes_the_first_name_out_of_the_other_partys_words(journal, mentor, coordinator, other_mentorship):
    """In the pair's journal the mentee writes "Erik" for Erik Mentor; his
    genitive too. A capitalised word only ("Per vecka" stays), and another
    pair's Erik is someone else."""
    meeting = MeetingFactory(
        mentorship=journal, number=2, summary="Erik tipsade om boken. Eriks förslag och Erik Mentors idé. Per vecka."
    )
    ReminderItem.objects.create(meeting=meeting, text="Fråga Erik om kassan")
    checkin = CheckIn.objects.create(
        mentorship=journal,
        held_on=timezone.localdate(),
        with_whom="mentor",
        channel="phone",
        note="Erik har mycket nu",
        recorded_by=coordinator,
    )
    elsewhere = MeetingFactory(mentorship=other_mentorship, number=2, summary="Erik i styrelsen var med.")

    personal_data_erase(user=mentor)

    gone = f"Raderad person {mentor.pk}"
    meeting.refresh_from_db()
    assert meeting.summary == f"{gone} tipsade om boken. {gone}:s förslag och {gone}:s idé. Per vecka."
    assert ReminderItem.objects.get(meeting=meeting).text == f"Fråga {gone} om kassan"
    checkin.refresh_from_db()
    assert checkin.note == f"{gone} har mycket nu"
    elsewhere.refresh_from_db()
    assert elsewhere.summary == "Erik i styrelsen var med."


def test_a_first_name_both_parties_share_stays(program, coordinator):
    pair = MentorshipFactory(program=program, mentee=UserFactory(name="Anna Ek"), mentor=UserFactory(name="Anna Berg"))
    meeting = MeetingFactory(mentorship=pair, number=2, summary="Anna Berg och jag, Anna, pratade.")

    personal_data_erase(user=pair.mentor)

    meeting.refresh_from_db()
    assert meeting.summary == f"Raderad person {pair.mentor.pk} och jag, Anna, pratade."


def test_erasure_is_atomic(journal, mentee):
    def fail(erasure):
        raise RuntimeError("injected")

    sections = [SECTIONS[0], Section("boom", export=lambda u: None, erase=fail), *SECTIONS[1:]]
    with pytest.raises(RuntimeError):
        personal_data_erase(user=mentee, sections=sections)
    mentee.refresh_from_db()
    assert mentee.email == "mentee@example.org" and mentee.is_active
    assert "Tack Erik" in {c.text for c in Comment.objects.all()}


def test_erase_command_needs_yes(journal, mentee):
    with pytest.raises(CommandError):
        call_command("erase_personal_data", mentee.email)
    call_command("erase_personal_data", mentee.email, "--yes", stdout=StringIO())
    mentee.refresh_from_db()
    assert not mentee.is_active


def test_retention_dry_run_and_real_run(journal, program, mentee, coordinator):
    program.ends_on = timezone.localdate() - dt.timedelta(days=800)
    program.starts_on = program.ends_on - dt.timedelta(days=100)
    program.save()
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "Ledarskap 2026" in out.getvalue() and "Dry run" in out.getvalue()
    assert OutgoingMail.objects.filter(mentorship=journal).exists()
    retention_apply()
    assert not OutgoingMail.objects.filter(mentorship=journal).exists()
    assert [c.text for c in Comment.objects.all()].count(ERASED_TEXT) == 2
    mentee.refresh_from_db()
    assert not mentee.is_active
    assert retention_apply() == []


def test_retention_warns_once(journal, program, coordinator):
    program.ends_on = timezone.localdate() - dt.timedelta(days=720)
    program.starts_on = program.ends_on - dt.timedelta(days=100)
    program.save()
    retention_apply()
    retention_apply()
    assert OutgoingMail.objects.filter(kind="retention_warning", recipient=coordinator).count() == 1


@pytest.mark.parametrize("name", ["my_data", "my_data_json", "my_data_page", "erasure_request"])
def test_my_pages_only_yourself(client_for, name, mentee, outsider, journal):
    assert client_for(None).get(reverse(name)).status_code == 302
    response = client_for(outsider).get(reverse(name))
    assert response.status_code == 200
    assert b"mentee@example.org" not in response.content


def test_notice_is_public(db, client_for):
    response = client_for(None).get(reverse("privacy_notice"))
    assert response.status_code == 200


def test_erasure_request_form(client_for, mentee, coordinator, superuser, journal):
    client = client_for(mentee)
    response = client.post(reverse("erasure_request"), {"message": "x"})
    assert response.status_code == 200 and not ErasureRequest.objects.exists()
    response = client.post(reverse("erasure_request"), {"confirm": "on", "message": "x" * 1001})
    assert response.status_code == 200 and not ErasureRequest.objects.exists()
    response = client.post(reverse("erasure_request"), {"confirm": "on", "message": "<script>x</script>"})
    assert response.status_code == 302
    assert ErasureRequest.objects.get().message == "<script>x</script>"
    told = set(OutgoingMail.objects.filter(kind="erasure_requested").values_list("recipient", flat=True))
    assert told == {coordinator.pk, superuser.pk}


def test_my_data_page_names_the_language(client_for, mentee):
    """The page is read by a person: "Svenska", not the code "sv" (the JSON keeps the code)."""
    page = client_for(mentee).get(reverse("my_data_page")).content.decode()
    assert re.search(r"Språk</dt><dd[^>]*>svenska</dd>", page, re.IGNORECASE)
    assert client_for(mentee).get(reverse("my_data_json")).json()["account"]["language"] == "sv"


def test_an_open_erasure_request_is_not_asked_for_again(client_for, mentee):
    """The first request is the one kept: the page does not offer a second
    form that would say "sent", send nothing and lose its message."""
    erasure_request(user=mentee, message="Första")
    client = client_for(mentee)
    for response in (
        client.get(reverse("erasure_request"), follow=True),
        client.post(reverse("erasure_request"), {"confirm": "on", "message": "Andra"}, follow=True),
    ):
        page = response.content.decode()
        assert response.redirect_chain[-1][0] == reverse("my_data")
        assert "Du har redan bett om att dina uppgifter raderas." in page
        assert "Din begäran är skickad" not in page
    assert ErasureRequest.objects.get().message == "Första"


def test_admin_superuser_only(client_for, coordinator, superuser, mentee):
    request = erasure_request(user=mentee)
    url = reverse("admin:privacy_erasurerequest_changelist")
    assert client_for(coordinator).get(url).status_code in (302, 403)
    client = client_for(superuser)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "carry_out", "_selected_action": [request.pk]})
    mentee.refresh_from_db()
    assert not mentee.is_active


@pytest.mark.parametrize("role", ["mentee", "mentor", "coordinator", "other_coordinator", "outsider", "superuser"])
def test_every_role_gets_its_own_data_and_no_one_else_s(request, client_for, role, journal, mentee, mentor):
    """Mina data is always the logged-in person's own, whoever they are: the
    pair's coordinator and a superuser read the pair elsewhere, never here."""
    person = request.getfixturevalue(role)
    data = client_for(person).get(reverse("my_data_json")).json()
    assert data["account"]["email"] == person.email
    in_pair = person.pk in (mentee.pk, mentor.pk)
    assert bool(data["pairs"]) == in_pair
    page = client_for(person).get(reverse("my_data_page")).content.decode()
    assert ("Maja vill leda styrelsen." in page) == in_pair  # the pair's agreement, only for its people


def test_a_coordinators_data_is_what_is_stored_about_them_as_coordinator(client_for, journal, coordinator, program):
    """Mina data spoke to a coordinator, in no pair, of "the notes of your
    pairs": it now says what is kept about them as coordinator, and the
    export holds the check-ins they recorded (their own notes)."""
    data = personal_data_export(coordinator)
    assert data["pairs"] == [] and data["account"]["programs_coordinated"] == [program.name]
    recorded = data["checkins_recorded"]
    assert [(c["program"], c["note"], c["with_whom"]) for c in recorded] == [
        (program.name, "Maja Mentee mår bra", "both")
    ]

    client = client_for(coordinator)
    intro = client.get(reverse("my_data")).content.decode()
    assert "Ladda ner allt Mentorskap sparar om dig som samordnare" in intro
    assert "Du är inte mentee eller mentor i något par." in intro
    assert "Era anteckningar" not in intro
    page = client.get(reverse("my_data_page")).content.decode()
    assert "Som samordnare" in page and "Program du samordnar" in page and program.name in page
    assert "Avstämningar du har skrivit in" in page and "Maja Mentee mår bra" in page
    assert "Du är inte mentee eller mentor i något par." in page


def test_a_coordinator_who_left_the_program_keeps_the_check_ins_but_not_their_notes(
    client_for, journal, coordinator, program
):
    """The note is about the pair, for the program's coordinators: one who has
    left the program gets 404 on its pairs, and Mina data no longer shows it
    either. When and how they checked in is still theirs."""
    program.coordinators.remove(coordinator)
    recorded = personal_data_export(coordinator)["checkins_recorded"]
    assert [(c["program"], c["note"], c["with_whom"]) for c in recorded] == [(program.name, None, "both")]
    page = client_for(coordinator).get(reverse("my_data_page")).content.decode()
    assert "Maja Mentee mår bra" not in page
    assert "anteckningen finns kvar för programmets samordnare" in page and "Som samordnare" in page


def test_a_superuser_in_no_program_is_not_spoken_to_as_coordinator(client_for, superuser):
    page = client_for(superuser).get(reverse("my_data_page")).content.decode()
    assert "Som samordnare" not in page


def test_a_mentees_data_reads_as_before(client_for, journal, mentee):
    data = personal_data_export(mentee)
    assert "checkins_recorded" not in data  # they recorded none: the export is as it was
    intro = client_for(mentee).get(reverse("my_data")).content.decode()
    assert "Era anteckningar" in intro and "samordnare" not in intro
    page = client_for(mentee).get(reverse("my_data_page")).content.decode()
    assert "Som samordnare" not in page and "Du är inte mentee" not in page


def test_a_coordinator_who_is_also_a_mentor_is_told_both(client_for, journal, coordinator, program):
    MentorshipFactory(program=program, mentor=coordinator)
    intro = client_for(coordinator).get(reverse("my_data")).content.decode()
    assert "Era anteckningar" in intro and "det som sparas om dig som samordnare" in intro
    assert "Du är inte mentee" not in intro


def test_someone_in_no_pair_and_no_program_is_told_what_there_is(client_for, outsider):
    intro = client_for(outsider).get(reverse("my_data")).content.decode()
    assert "ditt konto och e-post som skickats till dig. Du är inte mentee eller mentor i något par." in intro
    assert "samordnare" not in intro and "Era anteckningar" not in intro


# The erasure request page says what the erasure does for who the person is:
# a pair's party, a coordinator, both or neither (privacy.sections).
PAIR_WORDS = "I dina par raderas det du skrivit."
COORDINATOR_WORDS = "anteckningarna i de avstämningar du har skrivit in raderas"
NOT_IN_PAIR = "Du är inte mentee eller mentor i något par"


def test_the_erasure_page_speaks_to_a_pair_member_of_their_pair(client_for, journal, mentee):
    page = client_for(mentee).get(reverse("erasure_request")).content.decode()
    assert PAIR_WORDS in page and "Den andra partens egna anteckningar" in page
    assert COORDINATOR_WORDS not in page and NOT_IN_PAIR not in page


def test_the_erasure_page_speaks_to_a_coordinator_of_their_check_ins(client_for, journal, coordinator):
    """A coordinator in no pair was told that "the other party's own notes
    stay": what goes is their check-ins' notes and their programs."""
    page = client_for(coordinator).get(reverse("erasure_request")).content.decode()
    assert COORDINATOR_WORDS in page and "paren i dina program och deras anteckningar finns kvar" in page
    assert PAIR_WORDS not in page and "Den andra partens" not in page
    response = client_for(coordinator).post(reverse("erasure_request"), {"confirm": "on"}, follow=True)
    assert "En superanvändare hör av sig till dig." in response.content.decode()
    # What the page says is what the erasure does.
    personal_data_erase(user=coordinator)
    assert CheckIn.objects.get().note == ERASED_TEXT and not coordinator.coordinated_programs.exists()


def test_the_erasure_page_speaks_to_a_coordinator_who_is_a_mentor_of_both(client_for, journal, coordinator, program):
    MentorshipFactory(program=program, mentor=coordinator)
    page = client_for(coordinator).get(reverse("erasure_request")).content.decode()
    assert PAIR_WORDS in page and COORDINATOR_WORDS in page and NOT_IN_PAIR not in page


def test_the_erasure_page_speaks_to_someone_in_no_pair_and_no_program(client_for, outsider):
    page = client_for(outsider).get(reverse("erasure_request")).content.decode()
    assert "så det finns inga anteckningar av dig att radera" in page
    assert PAIR_WORDS not in page and COORDINATOR_WORDS not in page and "samordnar" not in page
