"""Follow-up surveys (issue 11): who is asked when, the link, the form, one
answer per person, anonymity, the results and their access."""

import datetime as dt
from io import StringIO

import pytest
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorskap.celery import app
from outbox.dispatch import skip_reason
from outbox.models import MailStatus, NotificationPreferences, OutgoingMail
from outbox.render import mail_render
from programs.models import MentorshipStatus
from surveys.links import answer_key, link_token
from surveys.models import Answer, Invitation, Question, Survey, SurveyKind
from surveys.selectors import nps
from surveys.services import surveys_scan
from tests.factories import MentorshipFactory, UserFactory
from tests.helpers.admin_forms import change_url, program_form
from tests.helpers.surveys import VALID, checkin_asked, confirmed_days_ago, link_in

pytestmark = pytest.mark.django_db


def later(days):
    return timezone.now() + dt.timedelta(days=days)


# --- who is asked, when ------------------------------------------------------


def test_the_check_in_asks_both_once_n_days_after_the_agreement(mentorship):
    rows = checkin_asked(mentorship, days=30)
    assert sorted(row.recipient_id for row in rows) == sorted([mentorship.mentee_id, mentorship.mentor_id])
    assert Invitation.objects.filter(mentorship=mentorship).count() == 2
    # Idempotent: the next scans write nothing more.
    assert surveys_scan() == {"checkin": 0, "evaluation": 0, "reminders": 0}
    assert OutgoingMail.objects.filter(kind="survey_invitation").count() == 2


def test_no_check_in_before_the_programs_days_or_when_turned_off(program, mentorship, other_mentorship):
    confirmed_days_ago(mentorship, 29)
    assert surveys_scan()["checkin"] == 0
    program.survey_checkin_after_days = 20  # nine days late: still within the horizon
    program.save()
    assert surveys_scan()["checkin"] == 2
    program.survey_checkin = False
    program.save()
    confirmed_days_ago(other_mentorship, 30)
    assert surveys_scan()["checkin"] == 0


def test_the_evaluation_asks_pairs_that_have_ended_not_those_cancelled(program, mentorship, other_mentorship):
    mentorship.status, mentorship.ends_on = MentorshipStatus.ENDED, timezone.localdate()
    mentorship.save()
    other_mentorship.status, other_mentorship.ends_on = MentorshipStatus.CANCELLED, timezone.localdate()
    other_mentorship.save()
    assert surveys_scan()["evaluation"] == 2
    assert set(Invitation.objects.values_list("mentorship_id", "survey__kind")) == {
        (mentorship.pk, SurveyKind.EVALUATION)
    }
    program.survey_evaluation = False
    program.save()
    third = MentorshipFactory(program=program, status=MentorshipStatus.ENDED, ends_on=timezone.localdate())
    assert surveys_scan()["evaluation"] == 0
    assert not Invitation.objects.filter(mentorship=third).exists()


def test_one_reminder_a_week_later_if_unanswered(mentorship):
    checkin_asked(mentorship)
    assert surveys_scan(now=later(6))["reminders"] == 0
    assert surveys_scan(now=later(7))["reminders"] == 2
    assert surveys_scan(now=later(8))["reminders"] == 0
    assert OutgoingMail.objects.filter(kind="survey_reminder").count() == 2


def test_no_reminder_after_an_answer(client, mentorship):
    rows = checkin_asked(mentorship)
    mentee_row = next(r for r in rows if r.recipient_id == mentorship.mentee_id)
    client.post(link_in(mentee_row), VALID)
    assert surveys_scan(now=later(7))["reminders"] == 1  # the mentor only
    reminder = OutgoingMail.objects.get(kind="survey_reminder")
    assert reminder.recipient_id == mentorship.mentor_id


def test_no_check_in_reminder_once_the_pair_has_ended(mentorship):
    checkin_asked(mentorship)
    surveys_scan(now=later(7))
    mentorship.status = MentorshipStatus.ENDED
    mentorship.save()
    assert surveys_scan(now=later(8))["reminders"] == 0

    for row in OutgoingMail.objects.filter(kind="survey_reminder"):
        assert skip_reason(row, now=later(8), prefs=NotificationPreferences())[0] == MailStatus.CANCELLED


def test_the_e_mail_is_in_the_recipients_language_and_its_link_is_not_stored(mentorship):
    mentorship.mentor.language = "en"
    mentorship.mentor.save()
    rows = checkin_asked(mentorship)
    by = {row.recipient_id: row for row in rows}
    swedish, english = mail_render(by[mentorship.mentee_id]), mail_render(by[mentorship.mentor_id])
    assert "Hur går ert mentorskap" in swedish.subject
    assert "How is your mentorship going" in english.subject
    link = link_in(by[mentorship.mentee_id])
    token = link.rstrip("/").rsplit("/", 1)[1]
    # Nowhere in the database: not in the row, its context or secrets.
    for row in OutgoingMail.objects.all():
        assert token not in str(row.context) and row.secrets is None
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            assert all(token not in str(values) for values in cursor.fetchall())


# --- the form behind the link ---------------------------------------------------


def test_a_person_answers_through_the_link_and_changes_the_answer(client, mentorship):
    row = checkin_asked(mentorship)[0]
    link = link_in(row)
    page = client.get(link)
    assert page.status_code == 200 and "Hur värdefullt" in page.content.decode()
    response = client.post(link, VALID)
    assert response.status_code == 302
    assert "Tack" in client.get(response["Location"]).content.decode()
    client.post(link, {**VALID, "value": "2", "best": "Ändrat"})
    answer = Answer.objects.get()
    assert (answer.value, answer.best) == (2, "Ändrat")
    assert Invitation.objects.filter(answered=True).count() == 1
    # The form shows what was answered.
    assert client.get(link).context["form"].initial["value"] == 2


def test_a_second_link_of_the_same_person_is_refused_once_answered_through_the_first(client, mentorship):
    invitation = checkin_asked(mentorship) and Invitation.objects.get(person=mentorship.mentee)
    first, second = (reverse("survey_answer", args=[link_token(invitation.pk)]) for _ in range(2))
    client.post(first, VALID)
    assert client.get(second).status_code == 409
    assert client.post(second, {**VALID, "value": "1"}).status_code == 409
    assert Answer.objects.get().value == 4


def test_a_closed_survey_refuses_and_says_so(client, mentorship):
    link = link_in(checkin_asked(mentorship)[0])
    client.post(link, VALID)
    Invitation.objects.update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    page = client.get(link)
    assert page.status_code == 410 and "avslutad" in page.content.decode()
    assert client.post(link, {**VALID, "value": "1"}).status_code == 410
    assert Answer.objects.get().value == 4


def test_a_link_answers_only_its_own_survey_and_person(client, program, mentorship, other_mentorship):
    checkin_asked(mentorship)
    confirmed_days_ago(other_mentorship, 30)
    surveys_scan()
    mine = Invitation.objects.get(person=mentorship.mentee)
    theirs = Invitation.objects.get(person=other_mentorship.mentee)
    client.post(reverse("survey_answer", args=[link_token(theirs.pk)]), {**VALID, "best": "Deras"})
    client.post(reverse("survey_answer", args=[link_token(mine.pk)]), {**VALID, "best": "Mitt"})
    assert sorted(Answer.objects.values_list("best", flat=True)) == ["Deras", "Mitt"]
    # A changed, forged or foreign token is a 404.
    token = link_token(mine.pk)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    foreign = signing.dumps([theirs.pk, "x" * 32], salt="outbox.preferences")
    for bad in (forged, foreign, "nonsense", signing.dumps([theirs.pk, "x" * 32], salt="surveys.answer-link")[:-1]):
        assert client.post(reverse("survey_answer", args=[bad]), VALID).status_code == 404
    assert Answer.objects.count() == 2


def test_an_evaluation_link_does_not_touch_the_check_in(client, mentorship):
    link = link_in(checkin_asked(mentorship)[0])
    client.post(link, VALID)
    mentorship.status, mentorship.ends_on = MentorshipStatus.ENDED, timezone.localdate()
    mentorship.save()
    surveys_scan()
    row = OutgoingMail.objects.filter(kind="survey_invitation", recipient=mentorship.mentee).latest("pk")
    client.post(link_in(row), {**VALID, "value": "5"})
    values = dict(Answer.objects.values_list("survey__kind", "value"))
    assert values == {SurveyKind.CHECKIN: 4, SurveyKind.EVALUATION: 5}


@pytest.mark.parametrize(
    "data,field",
    [
        ({}, "value"),
        ({**VALID, "value": "6"}, "value"),
        ({**VALID, "value": "x"}, "value"),
        ({**VALID, "frequency": "daily"}, "frequency"),
        ({**VALID, "recommend": "11"}, "recommend"),
        ({**VALID, "recommend": "-1"}, "recommend"),
        ({**VALID, "best": "x" * 2001}, "best"),
        ({**VALID, "better": "x" * 2001}, "better"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, mentorship, data, field):
    link = link_in(checkin_asked(mentorship)[0])
    response = client.post(link, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Answer.objects.exists() and not Invitation.objects.filter(answered=True).exists()
    # What was typed comes back.
    if data.get("best"):
        assert data["best"][:50] in response.content.decode()


def test_html_in_an_answer_is_stored_as_text_and_shown_escaped(client, coordinator, program, mentorship):
    for pair in [mentorship, MentorshipFactory(program=program), MentorshipFactory(program=program)]:
        checkin_asked(pair)
    for row in OutgoingMail.objects.filter(kind="survey_invitation")[:3]:
        client.post(link_in(row), {**VALID, "best": "<script>alert(1)</script>"})
    assert Answer.objects.filter(best="<script>alert(1)</script>").count() == 3
    client.force_login(coordinator)
    html = client.get(reverse("program_surveys", args=[program.pk])).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_the_programs_own_questions_are_asked_and_counted(client, coordinator, program, mentorship):
    scale = Question.objects.create(program=program, text="Hur bra var starten?", position=1)
    text = Question.objects.create(program=program, text="Något mer?", answer_type="text", position=2)
    pairs = [mentorship, MentorshipFactory(program=program), MentorshipFactory(program=program)]
    for pair in pairs:
        checkin_asked(pair)
    for row in OutgoingMail.objects.filter(kind="survey_invitation")[:3]:
        client.post(link_in(row), {**VALID, f"q{scale.pk}": "3", f"q{text.pk}": "Tack för allt"})
    assert all(a.extra == {str(scale.pk): 3, str(text.pk): "Tack för allt"} for a in Answer.objects.all())
    client.force_login(coordinator)
    html = client.get(reverse("program_surveys", args=[program.pk])).content.decode()
    assert "Hur bra var starten?" in html and "Tack för allt" in html
    assert (
        client.post(link_in(OutgoingMail.objects.filter(kind="survey_invitation")[3]), {**VALID, f"q{scale.pk}": "9"})
        .context["form"]
        .errors
    )


# --- anonymity ----------------------------------------------------------------


def test_anonymous_answers_have_no_link_to_their_people_in_any_table(client, program, mentorship):
    for row in checkin_asked(mentorship):
        client.post(link_in(row), VALID)
    answer_table = Answer._meta.db_table
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, answer_table)
        columns = [c.name for c in connection.introspection.get_table_description(cursor, answer_table)]
    # The only way from an answer is to its program's survey (and a named answer's invitation, empty here).
    assert {target for _column, (_field, target) in relations.items()} <= {
        Survey._meta.db_table,
        Invitation._meta.db_table,
    }
    assert not any(c.rsplit("_", 1)[-1] == "at" or "time" in c or "date" in c for c in columns)
    assert list(Answer.objects.values_list("invitation_id", flat=True)) == [None, None]
    # No table refers to an answer.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for _column, (_field, target) in connection.introspection.get_relations(cursor, table).items():
                assert target != answer_table
    # The key is not derived from anything stored: no invitation's id or person gives it.
    keys = set(Answer.objects.values_list("key_hash", flat=True))

    for invitation in Invitation.objects.all():
        assert answer_key(str(invitation.pk)) not in keys and answer_key(invitation.person.email) not in keys


def test_named_answers_carry_the_person(client, coordinator, program, mentorship):
    program.survey_anonymous = False
    program.save()
    for pair in [mentorship, MentorshipFactory(program=program)]:
        checkin_asked(pair)
    rows = OutgoingMail.objects.filter(kind="survey_invitation").order_by("pk")[:3]
    for row in rows:
        client.post(link_in(row), VALID)
    assert Survey.objects.get().anonymous is False
    answered = set(Answer.objects.values_list("invitation__person_id", flat=True))
    assert answered == {row.recipient_id for row in rows}
    client.force_login(coordinator)
    html = client.get(reverse("program_surveys", args=[program.pk])).content.decode()
    assert mentorship.mentee.name in html


# --- results ------------------------------------------------------------------


def test_results_count_average_nps_and_hide_free_text_under_three_answers(client, coordinator, program):
    pairs = [MentorshipFactory(program=program) for _ in range(3)]
    for pair in pairs:
        checkin_asked(pair)
    rows = list(OutgoingMail.objects.filter(kind="survey_invitation").order_by("pk"))
    client.post(link_in(rows[0]), {**VALID, "value": "5", "recommend": "10", "best": "Fritext ett"})
    client.post(link_in(rows[1]), {**VALID, "value": "3", "recommend": "5", "best": "Fritext två"})
    client.force_login(coordinator)
    url = reverse("program_surveys", args=[program.pk])
    response = client.get(url)
    html = response.content.decode()
    result = response.context["results"][0]
    assert (result.asked, result.answered) == (6, 2)
    assert result.scales[0].average == 4.0 and result.nps == 0  # one 10, one 5: 50 % − 50 %
    assert "Fritext" not in html and result.texts_hidden
    csv = client.get(url + "?format=csv").content.decode("utf-8-sig")
    assert "Fritext" not in csv
    client.post(link_in(rows[2]), {**VALID, "value": "4", "recommend": "9", "best": "=HYPERLINK(1)"})
    html = client.get(url).content.decode()
    assert "Fritext ett" in html and "Fritext två" in html
    csv = client.get(url + "?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv and "Fritext ett" in csv
    xlsx = client.get(url + "?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_funder_report_shows_the_averages(client, coordinator, program, mentorship):
    for row in checkin_asked(mentorship):
        client.post(link_in(row), {**VALID, "value": "5"})
    client.force_login(coordinator)
    html = client.get(reverse("program_report", args=[program.pk])).content.decode()
    assert "Uppföljningsenkät: genomsnittligt värde (1–5)" in html
    period = f"?starts={program.starts_on}&ends={timezone.localdate()}&format=csv"
    csv = client.get(reverse("program_report", args=[program.pk]) + period).content.decode("utf-8-sig")
    # A whole average as a whole number (programs.exports.csv_number).
    assert "Uppföljningsenkät: genomsnittligt värde (1–5);5\r\n" in csv


def test_the_program_page_links_to_the_results(client, coordinator, program):
    client.force_login(coordinator)
    html = client.get(reverse("program_detail", args=[program.pk])).content.decode()
    assert reverse("program_surveys", args=[program.pk]) in html


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
@pytest.mark.parametrize("fmt", ["", "?format=csv", "?format=xlsx"])
def test_the_results_are_for_the_programs_coordinators_only(
    request, client_for, program, mentorship, role, status, fmt
):
    request.getfixturevalue("coordinator")
    checkin_asked(mentorship)
    user = request.getfixturevalue(role) if role else None
    response = client_for(user).get(reverse("program_surveys", args=[program.pk]) + fmt)
    assert response.status_code == status


@pytest.mark.parametrize("role", ["coordinator", "other_coordinator", "outsider", "mentee", "mentor", None])
def test_the_form_opens_for_whoever_holds_the_link_and_never_without_one(request, client_for, mentorship, role):
    request.getfixturevalue("coordinator")
    link = link_in(checkin_asked(mentorship)[0])
    client = client_for(request.getfixturevalue(role) if role else None)
    assert client.get(link).status_code == 200
    assert client.get(reverse("survey_answer", args=["x:y:z"])).status_code == 404


def test_query_counts_do_not_grow_with_answers(client, coordinator, program, django_assert_max_num_queries):
    pairs = [MentorshipFactory(program=program) for _ in range(2)]
    for pair in pairs:
        checkin_asked(pair)
    rows = list(OutgoingMail.objects.filter(kind="survey_invitation"))
    client.post(link_in(rows[0]), VALID)
    client.force_login(coordinator)
    url = reverse("program_surveys", args=[program.pk])

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for pair in [MentorshipFactory(program=program) for _ in range(5)]:
        checkin_asked(pair)
    for row in OutgoingMail.objects.filter(kind="survey_invitation")[1:12]:
        client.post(link_in(row), VALID)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 12
    client.logout()
    with django_assert_max_num_queries(8):  # session, invitation, questions, answer and the page's own
        client.get(link_in(rows[1]))


def test_a_deactivated_person_is_not_mailed(mentorship):
    row = checkin_asked(mentorship)[0]
    UserFactory  # noqa: B018 - the factory is the test's source of people
    row.recipient.is_active = False
    row.recipient.save()

    assert skip_reason(OutgoingMail.objects.get(pk=row.pk), now=timezone.now(), prefs=NotificationPreferences())


def test_the_scan_is_a_beat_task(settings):
    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "surveys.scan_surveys" in tasks and "surveys.scan_surveys" in app.tasks


def test_the_coordinator_sets_the_surveys_and_up_to_five_questions_in_the_admin(client_for, coordinator, program):
    client = client_for(coordinator)
    base = {"name": program.name, "kind": program.kind, "starts_on": program.starts_on}
    questions = [{"position": n, "text": f"Fråga {n}", "answer_type": "scale"} for n in range(1, 7)]
    response = client.post(change_url(program), program_form(**base, questions=questions))
    assert response.status_code == 200 and not Question.objects.exists()  # six are too many
    data = program_form(**base, questions=questions[:2], survey_checkin_after_days=45, survey_anonymous="")
    del data["survey_anonymous"]  # an unticked box is not sent
    response = client.post(change_url(program), data)
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.survey_checkin_after_days, program.survey_anonymous) == (45, False)
    assert list(Question.objects.values_list("text", flat=True)) == ["Fråga 1", "Fråga 2"]
    bad = program_form(**base, survey_checkin_after_days=0, questions=[{"position": 1, "text": "x" * 301}])
    response = client.post(change_url(program), bad)
    assert response.status_code == 200 and Question.objects.count() == 2


@given(st.lists(st.integers(min_value=0, max_value=10), max_size=200))
@settings(max_examples=300, deadline=None)
def test_nps_is_the_share_of_promoters_minus_detractors(values):
    score = nps(values)
    if not values:
        assert score is None
        return
    assert -100 <= score <= 100
    promoters = sum(v >= 9 for v in values) / len(values)
    detractors = sum(v <= 6 for v in values) / len(values)
    assert abs(score - 100 * (promoters - detractors)) <= 0.5
    if all(v in (7, 8) for v in values):
        assert score == 0


def test_the_cron_command_asks_the_due_pairs(mentorship):
    confirmed_days_ago(mentorship, 30)
    out = StringIO()
    call_command("scan_surveys", stdout=out)
    assert "checkin=2" in out.getvalue()
    call_command("scan_surveys", stdout=out)
    assert Invitation.objects.count() == 2
