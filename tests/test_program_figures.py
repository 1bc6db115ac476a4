"""The program's figures are kept in the shared cache (programs.figures):
after every write that changes them, and as time passes, the figures a
coordinator reads are the ones the database holds then."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.services import invitation_create
from programs.figures import FIGURES_SECONDS, _version_key
from programs.models import CheckInChannel, CheckInWith, EndReason, MentorshipStatus
from programs.overview import meetings_per_month, program_counts
from programs.report import program_report
from programs.selectors import programs_for_coordinator
from programs.services import checkin_record, mentorships_end, mentorships_end_when_due, mentorships_set_end_date
from sessions.demo_pairs import demo_pairs_add
from sessions.models import Meeting, MeetingStatus
from sessions.services.agreement import agreement_save
from sessions.services.booking import meeting_book, meeting_cancel, meeting_move
from sessions.services.notes import meeting_notes_save
from tests.factories import AgreementFactory, MeetingFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


def figures(program, coordinator, now):
    """Everything of the program that is cached, read as the pages read it."""
    starts, ends = program.starts_on, timezone.localdate(now)
    report = program_report(program, starts=starts, ends=ends, now=now, with_names=False)
    dashboard = programs_for_coordinator(coordinator, now=now)[0]
    return {
        "counts": program_counts(program, now=now),
        "months": meetings_per_month(program, now=now),
        "report": (report.started, report.active, report.ended, report.meetings, report.hours, report.months),
        "dashboard": (dashboard.pairs_total, dashboard.pairs_active, dashboard.meetings_held, dashboard.last_meeting),
    }


def truth(program, coordinator, now):
    """The same, computed afresh from the database."""
    cache.clear()
    return figures(program, coordinator, now)


@pytest.fixture
def pair(program, mentee, mentor):
    pair = MentorshipFactory(program=program, mentee=mentee, mentor=mentor)
    AgreementFactory(mentorship=pair)
    MeetingFactory(
        mentorship=pair, number=1, status=MeetingStatus.HELD, starts_at=timezone.now() - dt.timedelta(days=9)
    )
    return pair


def changes(program, coordinator, write, *, changed=True):
    """The figures read after `write` are the database's, and `write` changed
    them (unless it should not)."""
    now = timezone.now()
    before = figures(program, coordinator, now)  # now kept in the cache
    assert figures(program, coordinator, now) == before
    write()
    after = figures(program, coordinator, now)
    assert after == truth(program, coordinator, now)
    assert (after != before) is changed
    return after


def test_a_view_reads_the_figures_from_the_cache(program, coordinator, pair, django_assert_max_num_queries):
    now = timezone.now()
    program_counts(program, now=now)
    meetings_per_month(program, now=now)
    with django_assert_max_num_queries(2):  # the version and the figures: the cache's, not the database's
        program_counts(program, now=now)
        meetings_per_month(program, now=now)


def test_booking_a_meeting(program, coordinator, pair):
    after = changes(
        program,
        coordinator,
        lambda: meeting_book(mentorship=pair, starts_at=timezone.now() + dt.timedelta(days=3), ends_at=None),
    )
    assert after["counts"]["booked_ahead"] == 1


def test_moving_a_meeting_into_the_past_makes_it_held(program, coordinator, pair):
    meeting = meeting_book(mentorship=pair, starts_at=timezone.now() + dt.timedelta(days=3), ends_at=None)
    after = changes(
        program,
        coordinator,
        lambda: meeting_move(meeting=meeting, starts_at=timezone.now() - dt.timedelta(days=1), ends_at=None),
    )
    assert after["counts"]["held"] == 2 and after["counts"]["booked_ahead"] == 0


def test_cancelling_a_meeting(program, coordinator, pair):
    meeting = meeting_book(mentorship=pair, starts_at=timezone.now() - dt.timedelta(hours=3), ends_at=None)
    after = changes(program, coordinator, lambda: meeting_cancel(meeting=meeting))
    assert after["counts"]["held"] == 1


def test_writing_the_notes_marks_the_meeting_held(program, coordinator, pair):
    """A booked meeting whose time has passed counted as held already: the
    notes mark it held, and the figures stay (and stay right)."""
    meeting = MeetingFactory(mentorship=pair, number=2, starts_at=timezone.now() - dt.timedelta(hours=2))
    after = changes(
        program,
        coordinator,
        lambda: meeting_notes_save(
            meeting=meeting, reflection="Bra samtal.", summary="", base_version=meeting.version, user=pair.mentee
        ),
        changed=False,
    )
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD
    assert after["counts"]["held"] == 2


def test_saving_the_agreement_holds_meeting_one(program, coordinator, mentee, mentor):
    pair = MentorshipFactory(program=program, mentee=mentee, mentor=mentor, status=MentorshipStatus.INVITED)
    AgreementFactory(mentorship=pair, version=0)
    after = changes(
        program,
        coordinator,
        lambda: agreement_save(
            mentorship=pair, user=mentee, content={"purpose_and_goals": "Att leda möten."}, base_version=0
        ),
    )
    assert after["counts"]["held"] == 1 and dict(after["counts"]["by_status"])["Aktiv"] == 1


def test_a_new_pair_and_an_ended_one(program, coordinator, pair):
    changes(program, coordinator, lambda: MentorshipFactory(program=program))

    def end():
        pair.status = MentorshipStatus.ENDED
        pair.ends_on = timezone.localdate()
        pair.save()

    changes(program, coordinator, end)


def test_a_check_in_recorded(program, coordinator, pair):
    before = figures(program, coordinator, timezone.now())["counts"]["checkin_due"]
    checkin_record(
        mentorship=pair,
        recorded_by=coordinator,
        held_on=timezone.localdate(),
        with_whom=CheckInWith.BOTH,
        channel=CheckInChannel.PHONE,
    )
    now = timezone.now()
    assert figures(program, coordinator, now) == truth(program, coordinator, now)
    assert figures(program, coordinator, now)["counts"]["checkin_due"] == before - 1


def test_a_person_who_logs_in_has_accepted(client, program, coordinator, pair):
    person = get_user_model().objects.create_user(email="ny@example.org", password=None)
    MentorshipFactory(program=program, mentee=person)
    now = timezone.now()
    figures(program, coordinator, now)
    person.set_password("ett långt lösenord 123")
    person.last_login = timezone.now()
    person.save()
    assert figures(program, coordinator, now) == truth(program, coordinator, now)


def test_a_first_invitation_moves_a_person_out_of_never_invited(program, other_program, coordinator):
    """One invitation stands for all of the person's pairs: a program where
    the person is in a pair without that invitation's link changes too."""
    person = get_user_model().objects.create_user(email="aldrig@example.org", password=None)
    here = MentorshipFactory(program=program, mentee=person)
    MentorshipFactory(program=other_program, mentee=person)
    other_program.coordinators.add(coordinator)
    now = timezone.now()
    before = figures(other_program, coordinator, now)
    changes(program, coordinator, lambda: invitation_create(user=person, mentorship=here))
    assert figures(other_program, coordinator, now) == truth(other_program, coordinator, now) != before


def test_time_passing_makes_a_booked_meeting_held_without_a_write(program, coordinator, pair):
    meeting_book(mentorship=pair, starts_at=timezone.now() + dt.timedelta(hours=1), ends_at=None)
    now = timezone.now()
    before = figures(program, coordinator, now)
    assert before["counts"]["booked_ahead"] == 1
    # Within a minute the figures stand; after it they follow the clock.
    assert figures(program, coordinator, now + dt.timedelta(seconds=FIGURES_SECONDS - 1)) == before
    later = now + dt.timedelta(hours=2)
    after = figures(program, coordinator, later)
    assert after["counts"]["booked_ahead"] == 0 and after["counts"]["held"] == 2
    assert after == truth(program, coordinator, later)


def test_another_programs_writes_leave_the_figures_kept(
    program, other_program, coordinator, pair, django_assert_max_num_queries
):
    now = timezone.now()
    program_counts(program, now=now)
    MentorshipFactory(program=other_program)
    with django_assert_max_num_queries(2):
        program_counts(program, now=now)


def test_the_demo_seeder_leaves_no_old_figures(program, coordinator, pair):
    now = timezone.now()
    figures(program, coordinator, now)
    demo_pairs_add(program=program, count=3, meetings_per_pair=2)
    assert figures(program, coordinator, now) == truth(program, coordinator, now)


def test_the_recompute_command_empties_every_programs_figures(program, coordinator, pair):
    now = timezone.now()
    figures(program, coordinator, now)
    # A write the signals cannot see, as a hand-written SQL fix would be.
    Meeting.objects.filter(mentorship=pair).update(status=MeetingStatus.CANCELLED)
    call_command("program_figures_reset", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert figures(program, coordinator, now) == truth(program, coordinator, now)


def test_the_program_page_shows_the_new_figures_after_a_booking(client_for, coordinator, program, pair):
    client = client_for(coordinator)
    url = reverse("program_detail", args=[program.pk])
    assert client.get(url).context["counts"]["booked_ahead"] == 0
    meeting_book(mentorship=pair, starts_at=timezone.now() + dt.timedelta(days=2), ends_at=None)
    assert client.get(url).context["counts"]["booked_ahead"] == 1


def test_pairs_ended_by_the_hourly_scan(program, coordinator, pair):
    pair.ends_on = timezone.localdate() - dt.timedelta(days=1)
    pair.save()
    after = changes(program, coordinator, lambda: mentorships_end_when_due(today=timezone.localdate()))
    assert dict(after["counts"]["by_status"])["Avslutad"] == 1


def test_pairs_ended_many_at_once(program, coordinator, pair):
    after = changes(program, coordinator, lambda: mentorships_end(pairs=[pair], by=coordinator, reason=EndReason.OTHER))
    assert dict(after["counts"]["by_status"])["Avslutad"] == 1


def test_an_end_date_given_to_many_pairs_at_once(program, coordinator, pair):
    """One UPDATE, so the service renews the figures itself. An open pair's
    end date counts in none of today's figures: the program's version is
    what shows it was renewed."""

    def set_end_date(days):
        mentorships_set_end_date(pairs=[pair], ends_on=timezone.localdate() + dt.timedelta(days=days))

    changes(program, coordinator, lambda: set_end_date(30), changed=False)
    figures(program, coordinator, timezone.now())
    set_end_date(30)  # the date it has already: nothing written, nothing to renew
    assert cache.get(_version_key(program.pk)) is not None
    set_end_date(60)
    assert cache.get(_version_key(program.pk)) is None


def test_a_pair_deleted_with_its_meetings(program, coordinator, pair):
    for number in range(2, 8):
        MeetingFactory(mentorship=pair, number=number, starts_at=timezone.now() - dt.timedelta(days=number))
    changes(program, coordinator, lambda: pair.delete())


def test_a_meeting_deleted_alone(program, coordinator, pair):
    meeting = MeetingFactory(mentorship=pair, number=2, starts_at=timezone.now() - dt.timedelta(days=2))
    changes(program, coordinator, lambda: Meeting.objects.get(pk=meeting.pk).delete())
