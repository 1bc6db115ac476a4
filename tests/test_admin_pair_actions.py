"""The pair list's actions for many pairs at once: "End the selected pairs"
and "Change the end date of the selected pairs". Each asks on a page of its
own, then goes through the services: every pair ends as it does alone (its
e-mail, its audit entry), the end date is checked as the pair form checks
it, and nobody reaches a pair of a program they do not coordinate."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape

from audit.models import AuditEntry
from outbox.models import OutgoingMail
from programs import validators
from programs.admin import pair_actions
from programs.mail_kinds import ProgramMail
from programs.models import EndReason, Mentorship, MentorshipStatus, Program
from programs.services import mentorship_end, mentorships_end, mentorships_set_end_date

from .factories import MentorshipFactory
from .helpers.races import in_thread, wait_until_another_session_waits_for_a_lock

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

END = "end_selected_pairs"
END_DATE = "set_end_date_of_selected_pairs"
GOOD_END = {"reason": EndReason.GOALS_REACHED, "note": "Tack för i år.", "confirm": "on"}


def changelist():
    return reverse("admin:programs_mentorship_changelist")


def ask(client, action, pairs, **extra):
    """The list's own post: the action chosen, the pairs ticked."""
    return client.post(
        changelist(), {"action": action, "index": 0, "_selected_action": [pair.pk for pair in pairs], **extra}
    )


def answer(client, action, pairs, **fields):
    """The page's post back to the list, with its form's fields."""
    return client.post(
        changelist(), {"action": action, "_selected_action": [pair.pk for pair in pairs], "apply": "yes", **fields}
    )


def said(response):
    """The messages the response left for the next page, read as that page
    reads them (so that they do not pile up for the next request)."""
    return [str(message) for message in response.client.get(changelist()).context["messages"]]


def end_mail():
    return OutgoingMail.objects.filter(kind=ProgramMail.ENDED)


def today():
    return timezone.localdate()


def snapshot(pairs):
    """What the actions may change, for "nothing was changed"."""
    return list(
        Mentorship.objects.filter(pk__in=[pair.pk for pair in pairs])
        .order_by("pk")
        .values_list("status", "ends_on", "end_reason", "end_note", "ended_by")
    )


@pytest.fixture
def pairs(program, mentorship):
    """The pair of the fixtures and two more, open; and one that has ended."""
    ended = MentorshipFactory(
        program=program, status=MentorshipStatus.ENDED, ends_on=today() - dt.timedelta(days=3), end_reason="other"
    )
    return [mentorship, MentorshipFactory(program=program), MentorshipFactory(program=program), ended]


@pytest.fixture
def foreign(other_program):
    """A pair of a program the coordinator does not coordinate."""
    return MentorshipFactory(program=other_program)


# --- ending -----------------------------------------------------------------------------------


def test_the_action_is_offered_in_both_languages(client_for, coordinator, mentorship):
    client = client_for(coordinator)
    choices = client.get(changelist()).context["action_form"].fields["action"].choices
    assert {END, END_DATE} <= {name for name, _label in choices}
    with translation.override("sv"):
        html = client.get(changelist(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Avsluta markerade par" in html and "Ändra slutdatum för markerade par" in html


def test_the_end_page_lists_the_pairs_and_asks_for_a_reason_and_a_tick(client_for, coordinator, pairs):
    before = snapshot(pairs)
    response = ask(client_for(coordinator), END, pairs)
    assert response.status_code == 200
    assert "admin/programs/mentorship/pair_action.html" in [t.name for t in response.templates]
    html = response.content.decode()
    for pair in pairs:
        assert str(pair) in html
        assert f'name="_selected_action" value="{pair.pk}"' in html
    assert html.count("(left as it is)") == 1  # the pair that has ended already
    form = response.context["form"]
    # The coordinator's reasons, "discontinued" among them, none chosen for them.
    assert list(form.fields["reason"].choices) == list(EndReason.choices) and not form.is_bound
    assert 'name="confirm"' in html and 'name="apply"' in html
    assert "Each pair reads this in the e-mail" in html  # not the one pair's wording
    assert snapshot(pairs) == before and not end_mail().exists()


def test_ending_ends_each_open_pair_and_tells_both(client_for, coordinator, pairs):
    before_ended = snapshot(pairs[3:])
    response = answer(client_for(coordinator), END, pairs, **GOOD_END)
    assert response.status_code == 302 and response["Location"] == changelist()
    assert said(response) == [
        "3 pairs were ended, 1 had already ended. The mentee and mentor of each have been told by e-mail."
    ]
    for pair in pairs[:3]:
        pair.refresh_from_db()
        assert (pair.status, pair.ends_on, pair.end_reason, pair.end_note, pair.ended_by) == (
            MentorshipStatus.ENDED,
            today(),
            EndReason.GOALS_REACHED,
            "Tack för i år.",
            coordinator,
        )
        assert {row.recipient for row in end_mail().filter(mentorship=pair)} == {pair.mentee, pair.mentor}
    assert end_mail().count() == 6
    assert snapshot(pairs[3:]) == before_ended  # the one ended before: as it was, and no e-mail
    assert not end_mail().filter(mentorship=pairs[3]).exists()


def test_the_message_in_swedish(client_for, coordinator, pairs):
    client = client_for(coordinator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"
    with translation.override("sv"):
        response = answer(client, END, pairs, **GOOD_END)
        assert said(response) == [
            "3 par avslutades, 1 var redan avslutat eller makulerat. "
            "Mentee och mentor i varje par har fått ett mejl om det."
        ]


def test_only_pairs_ended_already_are_not_asked_about(client_for, coordinator, pairs):
    response = ask(client_for(coordinator), END, pairs[3:])
    assert response.status_code == 302
    assert said(response) == ["The selected pairs have already ended; nothing was changed."]


def test_a_pair_ended_meanwhile_is_counted_as_ended_already(client_for, coordinator, pairs):
    client = client_for(coordinator)
    assert ask(client, END, pairs[:2]).status_code == 200
    Mentorship.objects.filter(pk=pairs[1].pk).update(status=MentorshipStatus.CANCELLED)
    response = answer(client, END, pairs[:2], **GOOD_END)
    assert said(response)[0].startswith("1 pair was ended, 1 had already ended.")
    assert end_mail().count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"note": "Hej", "confirm": "on"}, "reason", "Choose why the pairs end."),
        ({"reason": "", "confirm": "on"}, "reason", "Choose why the pairs end."),
        ({"reason": "gone", "confirm": "on"}, "reason", "Select a valid choice."),
        ({"reason": "other", "note": "x" * 301, "confirm": "on"}, "note", "at most 300 characters"),
        (
            {"reason": "discontinued", "note": "<script>alert(1)</script>"},
            "confirm",
            "Tick the box to confirm that the selected pairs are to end today.",
        ),
    ],
)
def test_bad_answers_end_nothing_and_say_why(client_for, coordinator, pairs, data, field, message):
    before = snapshot(pairs)
    response = answer(client_for(coordinator), END, pairs, **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert "Nothing was changed. Correct the fields marked below." in html and message in html
    if "note" in data:  # what was typed is back, and shown as text
        assert escape(data["note"]) in html and "<script>alert(1)</script>" not in html
    assert snapshot(pairs) == before and not end_mail().exists()


def test_the_service_refuses_a_reason_it_does_not_know(coordinator, pairs):
    with pytest.raises(Exception, match="Choose a reason"):
        mentorships_end(pairs=pairs, by=coordinator, reason="gone")
    assert not end_mail().exists()


def test_the_service_counts_a_pair_deleted_before_its_turn(coordinator, program):
    pair, gone = MentorshipFactory(program=program), MentorshipFactory(program=program)
    Mentorship.objects.filter(pk=gone.pk).delete()  # the object keeps its id, as the list's did
    done = mentorships_end(pairs=[pair, gone], by=coordinator, reason=EndReason.OTHER)
    assert (done.ended, done.closed_already, done.deleted) == (1, 0, 1)


# --- the end date ------------------------------------------------------------------------------


def test_the_end_date_page_lists_the_pairs_and_asks_for_a_date(client_for, coordinator, pairs):
    response = ask(client_for(coordinator), END_DATE, pairs)
    assert response.status_code == 200
    html = response.content.decode()
    assert all(str(pair) in html for pair in pairs)
    assert 'name="ends_on"' in html and 'type="date"' in html
    assert html.count("(left as it is)") == 1
    # The hourly scan ends a pair the day after its end date, and the page says so.
    assert "as their last day; the day after, they end by themselves" in html


def test_the_end_date_is_set_on_the_open_pairs(client_for, coordinator, pairs):
    invited = pairs[2]
    Mentorship.objects.filter(pk=invited.pk).update(status=MentorshipStatus.INVITED)
    ended_before = snapshot(pairs[3:])
    new = today() + dt.timedelta(days=90)
    response = answer(client_for(coordinator), END_DATE, pairs, ends_on=new.isoformat())
    assert response.status_code == 302
    assert said(response) == [f"3 pairs now end on {date_format(new)}, 1 had ended and was left as it was."]
    assert [pair.ends_on for pair in Mentorship.objects.filter(pk__in=[p.pk for p in pairs[:3]])] == [new] * 3
    assert Mentorship.objects.get(pk=invited.pk).status == MentorshipStatus.INVITED  # only the date changed
    assert snapshot(pairs[3:]) == ended_before
    assert not OutgoingMail.objects.exists()  # as on the pair form: a new end date is no news by e-mail


def test_only_ended_pairs_get_no_page(client_for, coordinator, pairs):
    response = ask(client_for(coordinator), END_DATE, pairs[3:])
    assert response.status_code == 302
    assert "keeps the date it ended on" in said(response)[0]


@pytest.mark.parametrize(
    ("ends_on", "message"),
    [
        ("", "Choose the new end date."),
        ("2026-13-45", "Enter a valid date."),
        ("i morgon", "Enter a valid date."),
        ("yesterday", "has passed. Choose today or a later date; to end the pairs today, use “End the selected"),
        ("far", "Choose an end date no later than"),
        ("year 1", "has passed. Choose today or a later date"),
        ("year 9999", "Choose an end date no later than"),
    ],
)
def test_bad_dates_change_nothing_and_name_the_field(client_for, coordinator, pairs, ends_on, message):
    ends_on = {
        "yesterday": (today() - dt.timedelta(days=1)).isoformat(),
        "far": dt.date(today().year + 6, 1, 1).isoformat(),
        "year 1": "0001-01-01",
        "year 9999": "9999-12-31",
    }.get(ends_on, ends_on)
    before = snapshot(pairs)
    response = answer(client_for(coordinator), END_DATE, pairs, ends_on=ends_on)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["ends_on"]
    html = response.content.decode()
    assert message in html and "Nothing was changed." in html
    assert f'value="{ends_on}"' in html if ends_on else True  # what was typed is back
    assert snapshot(pairs) == before


def test_a_date_before_a_pairs_start_changes_no_pair(client_for, coordinator, pairs):
    late = pairs[1]
    Mentorship.objects.filter(pk=late.pk).update(starts_on=today() + dt.timedelta(days=30))
    before = snapshot(pairs)
    response = answer(client_for(coordinator), END_DATE, pairs, ends_on=(today() + dt.timedelta(days=10)).isoformat())
    assert response.status_code == 200
    errors = response.context["form"].errors["ends_on"]
    assert errors[0].startswith("The end date cannot be before the start date: 1 of the pairs starts on ")
    assert snapshot(pairs) == before  # all or none: the other open pairs kept theirs too


def test_a_date_after_the_programs_end_changes_no_pair(client_for, coordinator, program, pairs):
    """The hourly scan ends the pairs when their program ends: a later date
    would promise time they do not have."""
    Program.objects.filter(pk=program.pk).update(ends_on=today() + dt.timedelta(days=20))
    before = snapshot(pairs)
    response = answer(client_for(coordinator), END_DATE, pairs, ends_on=(today() + dt.timedelta(days=21)).isoformat())
    assert response.status_code == 200
    errors = response.context["form"].errors["ends_on"]
    assert errors == [
        f"The program ends on {date_format(today() + dt.timedelta(days=20))}: choose that day or earlier."
    ]
    assert snapshot(pairs) == before
    on_the_day = answer(client_for(coordinator), END_DATE, pairs, ends_on=(today() + dt.timedelta(days=20)).isoformat())
    assert on_the_day.status_code == 302


def test_the_last_day_allowed_and_today_are_taken(client_for, coordinator, mentorship):
    client = client_for(coordinator)
    last = dt.date(today().year + validators.END_DATE_YEARS_AHEAD, 12, 31)
    for day in (last, today()):
        assert answer(client, END_DATE, [mentorship], ends_on=day.isoformat()).status_code == 302
        mentorship.refresh_from_db()
        assert mentorship.ends_on == day


def test_the_service_refuses_a_past_date_itself(pairs):
    with pytest.raises(Exception, match="The end date has passed"):
        mentorships_set_end_date(pairs=pairs, ends_on=today() - dt.timedelta(days=1))


# --- who reaches what -----------------------------------------------------------------------


@pytest.mark.parametrize("action", [END, END_DATE])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("superuser", 200),
        ("other_coordinator", "back"),
        ("mentee", "login"),
        ("mentor", "login"),
        ("outsider", "login"),
        ("anonymous", "login"),
    ],
)
def test_who_reaches_the_page_that_asks(request, client_for, mentorship, action, who, status):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user)
    sends = [lambda: ask(client, action, [mentorship]), lambda: answer(client, action, [mentorship])]
    if status != 200:  # and an answer that would change the pair, were it theirs
        sends.append(lambda: answer(client, action, [mentorship], ends_on=today().isoformat(), **GOOD_END))
    for send in sends:
        response = send()
        if status == 200:
            assert response.status_code == 200 and str(mentorship) in response.content.decode()
        elif status == "back":
            # The coordinator of another program is told what an unknown id would tell.
            assert response.status_code == 302 and response["Location"] == changelist()
            assert said(response) == ["None of the selected pairs can be changed here; nothing was changed."]
        else:
            assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert snapshot([mentorship]) == [(MentorshipStatus.ACTIVE, None, "", "", None)]
    assert not end_mail().exists()


def test_forged_ids_of_another_program_touch_nothing(client_for, coordinator, mentorship, foreign):
    client = client_for(coordinator)
    before = snapshot([foreign])
    response = answer(client, END, [foreign], **GOOD_END)
    told = said(response)
    assert response.status_code == 302 and told[0].startswith("None of the selected pairs")
    unknown = Mentorship(pk=foreign.pk + 1000)
    assert said(answer(client, END, [unknown], **GOOD_END)) == told  # the same as for no such pair
    # Mixed with their own: only their own pair ends, on the page and after it.
    page = ask(client, END, [mentorship, foreign])
    assert str(foreign) not in page.content.decode() and str(mentorship) in page.content.decode()
    answer(client, END, [mentorship, foreign], **GOOD_END)
    answer(client, END_DATE, [mentorship, foreign], ends_on=(today() + dt.timedelta(days=5)).isoformat())
    assert snapshot([foreign]) == before
    assert not end_mail().filter(mentorship=foreign).exists()
    assert end_mail().filter(mentorship=mentorship).count() == 2


def test_select_all_keeps_to_the_coordinators_programs(client_for, coordinator, mentorship, foreign):
    response = client_for(coordinator).post(
        changelist(), {"action": END, "index": 0, "select_across": 1, "_selected_action": [mentorship.pk]}
    )
    assert [pair.pk for pair in response.context["pairs"]] == [mentorship.pk]


def test_a_superuser_acts_on_every_program(client_for, superuser, mentorship, foreign):
    response = answer(client_for(superuser), END, [mentorship, foreign], **GOOD_END)
    assert said(response)[0].startswith("2 pairs were ended.")
    assert end_mail().count() == 4


# --- how many at once ---------------------------------------------------------------------------


def test_the_limit_fits_the_page_under_djangos_field_limit():
    # The page posts one id a pair, plus the action, the token and its own fields.
    assert pair_actions.MOST_PAIRS_AT_ONCE + 10 <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


@pytest.mark.parametrize("action", [END, END_DATE])
def test_more_pairs_than_the_limit_are_refused_with_a_message(
    client_for, coordinator, program, mentorship, monkeypatch, action
):
    monkeypatch.setattr(pair_actions, "MOST_PAIRS_AT_ONCE", 3)
    pairs = [mentorship, *(MentorshipFactory(program=program) for _ in range(3))]
    client = client_for(coordinator)
    for send in (
        lambda: ask(client, action, pairs),
        lambda: answer(client, action, pairs, ends_on=today().isoformat(), **GOOD_END),
        lambda: client.post(changelist(), {"action": action, "index": 0, "select_across": 1, "_selected_action": [1]}),
    ):
        response = send()
        assert response.status_code == 302
        assert said(response) == [
            "4 pairs are selected; at most 3 can be changed at once. "
            "Narrow the list, by program or status for instance, and take them in turns."
        ]
    assert not end_mail().exists() and not Mentorship.objects.filter(ends_on__isnull=False).exists()
    assert ask(client, action, pairs[:3]).status_code == 200  # as many as the limit: asked


# --- the audit trail ------------------------------------------------------------------------------


def test_each_pair_ended_is_in_the_audit_trail_with_the_coordinator(client_for, coordinator, pairs):
    answer(client_for(coordinator), END, pairs, **GOOD_END)
    for pair in pairs[:3]:
        entry = AuditEntry.objects.filter(mentorship_id=pair.pk, action=AuditEntry.Action.UPDATE).get()
        assert (entry.actor, entry.program_id) == (coordinator, pair.program_id)
        assert entry.changes_dict["status"] == [MentorshipStatus.ACTIVE, MentorshipStatus.ENDED]
    assert not AuditEntry.objects.filter(mentorship_id=pairs[3].pk, action=AuditEntry.Action.UPDATE).exists()
    assert "Tack för i år." not in str(list(AuditEntry.objects.values()))  # the note is note text


def test_each_end_date_changed_is_in_the_audit_trail_with_the_coordinator(client_for, coordinator, pairs):
    new = today() + dt.timedelta(days=60)
    Mentorship.objects.filter(pk=pairs[1].pk).update(ends_on=new)  # has the date already: no change to record
    answer(client_for(coordinator), END_DATE, pairs, ends_on=new.isoformat())
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE, changes__has_key="ends_on")
    assert sorted(entries.values_list("mentorship_id", flat=True)) == sorted([pairs[0].pk, pairs[2].pk])
    for entry in entries:
        assert entry.actor == coordinator and entry.object_repr == str(Mentorship.objects.get(pk=entry.mentorship_id))
        assert entry.changes_dict["ends_on"] == ["None", new.isoformat()]


# --- the cost -------------------------------------------------------------------------------------

# Ending is mentorship_end once a pair: its locks and reads, the save and its
# audit entry, an e-mail to each of the two. The end date is one UPDATE for
# all and an audit entry a pair.
ENDING_QUERIES_A_PAIR = 12
END_DATE_QUERIES_A_PAIR = 1


def _queries(send):
    with CaptureQueriesContext(connection) as queries:
        response = send()
    assert response.status_code in (200, 302), said(response)
    return len(queries)


@pytest.mark.parametrize(
    ("action", "fields", "per_pair"),
    [
        (END, GOOD_END, ENDING_QUERIES_A_PAIR),
        (END_DATE, {"ends_on": "TODAY"}, END_DATE_QUERIES_A_PAIR),
    ],
    ids=["end", "end-date"],
)
def test_the_queries_grow_by_a_fixed_number_a_pair(
    client_for, coordinator, program, action, fields, per_pair, django_assert_max_num_queries
):
    fields = {name: today().isoformat() if value == "TODAY" else value for name, value in fields.items()}
    client = client_for(coordinator)
    client.get(changelist())  # the session and the content types, as any page before
    few = [MentorshipFactory(program=program) for _ in range(10)]
    many = [MentorshipFactory(program=program) for _ in range(50)]
    # The page that asks: the same queries at any size (once a first page has read what pages keep).
    ask(client, action, few[:1])
    assert _queries(lambda: ask(client, action, few)) == _queries(lambda: ask(client, action, many))
    # Each answer renews the program's figures, so the next reads the list's
    # filter choices afresh: a first answer, so that both measured do so.
    answer(client, action, [MentorshipFactory(program=program)], **fields)
    at_10 = _queries(lambda: answer(client, action, few, **fields))
    assert at_10 <= 30 + 10 * per_pair
    with django_assert_max_num_queries(at_10 + 40 * per_pair):
        answer(client, action, many, **fields)


# --- at the same moment (PostgreSQL) ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_pair_ended_on_its_page_meanwhile_is_ended_once(postgres, coordinator, program, mentorship):
    """The pair's page ends it while the list's action is on its way: the
    action waits for the row, then finds it ended and counts it so; the pair
    is ended once and its people get one e-mail each."""
    other = MentorshipFactory(program=program)

    def from_the_list():
        return mentorships_end(pairs=[mentorship, other], by=coordinator, reason=EndReason.OTHER)

    with transaction.atomic():
        mentorship_end(mentorship=mentorship, by=coordinator, reason=EndReason.GOALS_REACHED)
        join = in_thread(from_the_list)
        wait_until_another_session_waits_for_a_lock()
    done = join()
    assert (done.ended, done.closed_already) == (1, 1)
    assert Mentorship.objects.get(pk=mentorship.pk).end_reason == EndReason.GOALS_REACHED
    assert end_mail().filter(mentorship=mentorship).count() == 2 and end_mail().count() == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_end_date_given_while_the_pair_ends_leaves_the_ended_pair(postgres, coordinator, program, mentorship):
    """The end date waits for the row of a pair being ended, and then leaves
    the ended pair with the date it ended on."""
    later = today() + dt.timedelta(days=40)

    def from_the_list():
        return mentorships_set_end_date(pairs=[mentorship], ends_on=later)

    with transaction.atomic():
        mentorship_end(mentorship=mentorship, by=coordinator, reason=EndReason.OTHER)
        join = in_thread(from_the_list)
        wait_until_another_session_waits_for_a_lock()
    done = join()
    assert (done.set, done.closed) == (0, 1)
    assert Mentorship.objects.get(pk=mentorship.pk).ends_on == today()
