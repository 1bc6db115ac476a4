"""Extracts from the police's register (registerutdrag, issue 12): a pair of
a program that requires one cannot become active until its mentor's is
recorded, nor after it has expired (a year after the extract's date); the
coordinators are told once, 30 days before; the coordinator records it on
the pair's page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from outbox.models import OutgoingMail
from outbox.render import mail_render
from programs.background_checks import background_check_notices_enqueue
from programs.mail_kinds import ProgramMail
from programs.models import BackgroundCheck, Mentorship, MentorshipStatus, one_year_after
from programs.services import background_check_record, checkin_record, mentorship_activate
from programs.tasks import background_check_notices_task
from sessions.services import meeting_book
from tests.factories import MentorshipFactory, UserFactory
from tests.helpers.admin_forms import pair_edit_form
from tests.helpers.races import in_thread, wait_until_another_session_waits_for_a_lock

pytestmark = pytest.mark.django_db

TODAY = dt.date.today


@pytest.fixture
def strict(program):
    program.requires_background_check = True
    program.save()
    return program


@pytest.fixture
def invited(strict, mentee, mentor):
    return MentorshipFactory(program=strict, mentee=mentee, mentor=mentor, status=MentorshipStatus.INVITED)


def record(person, *, extract_date, checked_by=None):
    return BackgroundCheck.objects.create(
        person=person, extract_date=extract_date, shown_on=extract_date, checked_by=checked_by or person
    )


def status_of(pair):
    return Mentorship.objects.get(pk=pair.pk).status


def book(pair):
    start = timezone.now() + dt.timedelta(days=5)
    meeting_book(mentorship=pair, starts_at=start, ends_at=start + dt.timedelta(hours=1), changed_by=pair.mentee)


# --- the gate -----------------------------------------------------------------------------------


def test_a_pair_without_the_mentors_extract_stays_invited(invited):
    book(invited)
    assert status_of(invited) == MentorshipStatus.INVITED
    assert invited.meetings.count() == 1  # the journal goes on meanwhile


def test_with_a_valid_extract_the_pair_becomes_active(invited, coordinator):
    record(invited.mentor, extract_date=timezone.localdate() - dt.timedelta(days=10), checked_by=coordinator)
    book(invited)
    assert status_of(invited) == MentorshipStatus.ACTIVE
    activation = AuditEntry.objects.filter(mentorship_id=invited.pk, action=AuditEntry.Action.UPDATE).get()
    assert activation.changes_dict["status"] == ["invited", "active"]


def test_after_a_year_the_extract_no_longer_opens_the_gate(invited):
    today = timezone.localdate()
    record(invited.mentor, extract_date=today.replace(year=today.year - 1))  # expires today
    mentorship_activate(invited)
    assert status_of(invited) == MentorshipStatus.INVITED
    day_later = today.replace(year=today.year - 1) + dt.timedelta(days=1)
    BackgroundCheck.objects.update(extract_date=day_later, shown_on=day_later)
    mentorship_activate(Mentorship.objects.select_related("program").get(pk=invited.pk))
    assert status_of(invited) == MentorshipStatus.ACTIVE  # the last valid day


def test_a_program_that_asks_for_no_extract_activates_as_before(program, mentee, mentor):
    pair = MentorshipFactory(program=program, mentee=mentee, mentor=mentor, status=MentorshipStatus.INVITED)
    book(pair)
    assert status_of(pair) == MentorshipStatus.ACTIVE


def test_one_record_serves_all_the_mentors_pairs_and_activates_those_held_back(strict, mentor, coordinator):
    pairs = [MentorshipFactory(program=strict, mentor=mentor, status=MentorshipStatus.INVITED) for _ in range(2)]
    book(pairs[0])  # its journal has started: held back only by the extract
    assert status_of(pairs[0]) == MentorshipStatus.INVITED
    background_check_record(
        person=mentor, extract_date=timezone.localdate(), shown_on=timezone.localdate(), checked_by=coordinator
    )
    assert status_of(pairs[0]) == MentorshipStatus.ACTIVE
    assert status_of(pairs[1]) == MentorshipStatus.INVITED  # nothing started yet: activates when it does
    book(pairs[1])
    assert status_of(pairs[1]) == MentorshipStatus.ACTIVE


def test_one_year_after_a_leap_day():
    assert one_year_after(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert one_year_after(dt.date(2027, 3, 1)) == dt.date(2028, 3, 1)


# --- the reason, where the coordinator sees the pair ----------------------------------------------


def test_the_pair_page_and_the_admin_say_why_the_pair_is_not_active(client_for, coordinator, invited, english):
    client = client_for(coordinator)
    page = client.get(reverse("program_pair", args=[invited.public_id]))
    assert b"none is recorded for the mentor" in page.content
    admin = client.get(reverse("admin:programs_mentorship_change", args=[invited.public_id]))
    assert b"none is recorded for the mentor" in admin.content


def test_the_admin_refuses_to_set_the_pair_active_without_the_extract(client_for, coordinator, invited, english):
    client = client_for(coordinator)
    url = reverse("admin:programs_mentorship_change", args=[invited.public_id])
    response = client.post(url, pair_edit_form(invited, status="active"))
    assert response.status_code == 200 and b"none is recorded for the mentor" in response.content
    assert status_of(invited) == MentorshipStatus.INVITED
    record(invited.mentor, extract_date=timezone.localdate())
    assert client.post(url, pair_edit_form(invited, status="active")).status_code == 302
    assert status_of(invited) == MentorshipStatus.ACTIVE


# --- recording it on the pair's page ---------------------------------------------------------------


def check_url(pair):
    return reverse("program_pair_background_check", args=[pair.public_id])


def form(**overrides):
    today = timezone.localdate()
    return {"extract_date": (today - dt.timedelta(days=20)).isoformat(), "shown_on": today.isoformat(), **overrides}


def test_the_coordinator_records_the_extract_checked_by_themselves_by_default(client_for, coordinator, invited):
    client = client_for(coordinator)
    page = client.get(reverse("program_pair", args=[invited.public_id]))
    assert page.context["check_form"]["checked_by"].value() == coordinator.pk
    response = client.post(check_url(invited), form(checked_by=coordinator.pk))
    assert response.status_code == 302
    check = BackgroundCheck.objects.get(person=invited.mentor)
    assert check.checked_by == coordinator and check.shown_on == timezone.localdate()
    entry = AuditEntry.objects.filter(content_type__model="backgroundcheck", action=AuditEntry.Action.CREATE).get()
    assert entry.actor == coordinator


def test_another_coordinator_of_the_program_may_be_named(client_for, coordinator, invited):
    colleague = UserFactory(is_staff=True)
    invited.program.coordinators.add(colleague)
    assert client_for(coordinator).post(check_url(invited), form(checked_by=colleague.pk)).status_code == 302
    assert BackgroundCheck.objects.get(person=invited.mentor).checked_by == colleague


def test_a_new_extract_replaces_the_dates_and_is_due_for_a_notice_again(client_for, coordinator, invited):
    check = record(invited.mentor, extract_date=timezone.localdate() - dt.timedelta(days=300))
    BackgroundCheck.objects.update(expiry_notice_sent_at=timezone.now())
    assert client_for(coordinator).post(check_url(invited), form(checked_by=coordinator.pk)).status_code == 302
    check.refresh_from_db()
    assert check.extract_date == timezone.localdate() - dt.timedelta(days=20) and check.expiry_notice_sent_at is None
    assert BackgroundCheck.objects.count() == 1


BAD = [
    ({"extract_date": ""}, "extract_date", "This field is required."),
    ({"shown_on": ""}, "shown_on", "This field is required."),
    ({"extract_date": "2026-02-30"}, "extract_date", "Enter a valid date."),
    ({"extract_date": "<script>alert(1)</script>"}, "extract_date", "Enter a valid date."),
    ({"extract_date": (TODAY() + dt.timedelta(days=2)).isoformat()}, "extract_date", "cannot be in the future"),
    ({"extract_date": (TODAY() - dt.timedelta(days=400)).isoformat()}, "extract_date", "more than a year old"),
    ({"shown_on": (TODAY() + dt.timedelta(days=2)).isoformat()}, "shown_on", "choose today or earlier"),
    (
        {"extract_date": TODAY().isoformat(), "shown_on": (TODAY() - dt.timedelta(days=1)).isoformat()},
        "shown_on",
        "shown before the date it was issued",
    ),
    ({"checked_by": "999999"}, "checked_by", "Select a valid choice."),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client_for, coordinator, invited, english, overrides, field, message
):
    data = {**form(checked_by=coordinator.pk), **overrides}
    response = client_for(coordinator).post(check_url(invited), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["check_form"].errors.get(field, [])), response.context[
        "check_form"
    ].errors
    assert not BackgroundCheck.objects.exists()
    assert b"<script>alert" not in response.content


def test_someone_elses_coordinator_cannot_be_named(client_for, coordinator, other_coordinator, invited, english):
    response = client_for(coordinator).post(check_url(invited), form(checked_by=other_coordinator.pk))
    assert "Select a valid choice." in str(response.context["check_form"].errors["checked_by"])
    assert not BackgroundCheck.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("mentee", 404),
        ("mentor", 404),
        ("coordinator", 302),
        ("superuser", 302),
        ("other_coordinator", 404),
        ("outsider", 404),
        (None, 302),
    ],
)
def test_who_may_record_an_extract(request, client_for, invited, role, status):
    user = request.getfixturevalue(role) if role else None
    checker = user if role in ("coordinator", "superuser") else None
    data = form(checked_by=checker.pk) if checker else form()
    response = client_for(user).post(check_url(invited), data)
    assert response.status_code == status
    if role is None:
        assert "/login/" in response["Location"]
    assert BackgroundCheck.objects.exists() == (role in ("coordinator", "superuser"))


def test_the_form_is_only_for_programs_that_ask_for_an_extract(client_for, coordinator, mentorship):
    client = client_for(coordinator)
    assert client.post(check_url(mentorship), form(checked_by=coordinator.pk)).status_code == 404
    assert b"registerutdrag" not in client.get(reverse("program_pair", args=[mentorship.public_id])).content
    assert client.get(check_url(mentorship)).status_code == 405


# --- the expiry notice ---------------------------------------------------------------------------


def noon(day):
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/Stockholm"))


def notices():
    return OutgoingMail.objects.filter(kind=ProgramMail.BACKGROUND_CHECK_EXPIRING)


def test_the_coordinators_are_told_once_30_days_before_it_expires(invited, coordinator, mentor):
    check = record(mentor, extract_date=dt.date(2026, 3, 1), checked_by=coordinator)  # expires 1 March 2027
    assert background_check_notices_enqueue(now=noon(dt.date(2027, 1, 29))) == 0  # 31 days before
    assert background_check_notices_enqueue(now=noon(dt.date(2027, 1, 30))) == 1
    row = notices().get()
    assert row.recipient == coordinator and row.context == {
        "check": check.pk,
        "extract_date": "2026-03-01",
        "pair": invited.pk,
    }
    # Twice, or by two beats at once: nothing more.
    assert background_check_notices_enqueue(now=noon(dt.date(2027, 1, 30))) == 0
    BackgroundCheck.objects.update(expiry_notice_sent_at=None)  # as if the other scan had not marked it yet
    assert background_check_notices_enqueue(now=noon(dt.date(2027, 2, 5))) == 0
    assert notices().count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_write_one_notice(postgres, invited, coordinator, mentor):
    """Two beats (or a beat and a rerun) at the same instant: the second one's
    row waits for the first one's and is then refused by the unique key."""
    record(mentor, extract_date=dt.date(2026, 3, 1), checked_by=coordinator)
    now = noon(dt.date(2027, 2, 10))
    with transaction.atomic():
        assert background_check_notices_enqueue(now=now) == 1
        join = in_thread(lambda: transaction.atomic(background_check_notices_enqueue)(now=now))
        wait_until_another_session_waits_for_a_lock()
    assert join() == 0
    assert notices().count() == 1


def test_the_notice_names_the_mentor_and_the_date(invited, coordinator, mentor, english):
    record(mentor, extract_date=timezone.localdate() - dt.timedelta(days=350), checked_by=coordinator)
    assert background_check_notices_task() == 1
    row = notices().select_related("recipient").get()
    message = mail_render(row)
    assert mentor.display_name in message.subject
    assert reverse("program_pair", args=[invited.public_id]) in message.body


def test_no_notice_for_a_mentor_without_open_pairs_in_such_programs(program, mentor, coordinator):
    MentorshipFactory(program=program, mentor=mentor)  # the program asks for no extract
    record(mentor, extract_date=timezone.localdate() - dt.timedelta(days=350))
    assert background_check_notices_enqueue(now=timezone.now()) == 0


# --- what it costs the pair's page ---------------------------------------------------------------


def test_the_pair_page_costs_the_same_queries_with_many_check_ins(client_for, coordinator, invited):
    record(invited.mentor, extract_date=timezone.localdate(), checked_by=coordinator)
    client = client_for(coordinator)
    url = reverse("program_pair", args=[invited.public_id])

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = count()
    for _ in range(10):
        checkin_record(
            mentorship=invited, recorded_by=coordinator, held_on=timezone.localdate(), with_whom="both", channel="phone"
        )
    assert count() == one


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_recording_at_once_leave_one_record(postgres, invited, coordinator, mentor):
    today = timezone.localdate()
    with transaction.atomic():
        background_check_record(person=mentor, extract_date=today, shown_on=today, checked_by=coordinator)
        earlier = today - dt.timedelta(days=3)
        join = in_thread(
            lambda: background_check_record(person=mentor, extract_date=earlier, shown_on=today, checked_by=coordinator)
        )
        wait_until_another_session_waits_for_a_lock()
    join()
    assert BackgroundCheck.objects.get(person=mentor).extract_date == earlier  # the later one's dates
