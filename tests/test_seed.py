"""The focus areas seeded by the data migration, and `seed_demo`."""

import datetime as dt
import importlib
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from accounts.models import User
from outbox.models import OutgoingMail
from programs.models import FocusArea, Mentorship, MentorshipStatus, Organisation, Program, ProgramKind
from sessions.mail_kinds import SessionMail
from sessions.models import Agreement, AgreementVersion, Meeting, MeetingStatus, ReminderItem

pytestmark = pytest.mark.django_db

# Copied word for word from the paper template (seed/mentorskap-mall.txt),
# in its order: the test does not trust the migration's own list.
TEMPLATE_ASSOCIATIONS = [
    "Strategiskt arbete",
    "Omstrukturering/Omorganisering pga. nya förutsättningar",
    "Uppstart av en ny verksamhet",
    "Samverkan",
]
TEMPLATE_INDIVIDUALS = [
    "Utveckling i befintlig roll",
    "Utveckling till en ny roll",
    "Nya förutsättningar ex. familjesituation",
    "Hållbart och långvarigt ledarskap",
]
DEMO_PASSWORD = "mentorskap-demo"
DEMO_LOGINS = [
    "admin@example.org",
    "koordinator@example.org",
    "mentee@example.org",
    "mentor@example.org",
    "annan.mentee@example.org",
    "annan.mentor@example.org",
]


# --- The data migration -------------------------------------------------------


def test_migration_seeded_the_templates_eight_focus_areas():
    def names(kind):
        return list(FocusArea.objects.filter(kind=kind).order_by("position").values_list("name", flat=True))

    assert names(ProgramKind.ASSOCIATIONS) == TEMPLATE_ASSOCIATIONS
    assert names(ProgramKind.INDIVIDUALS) == TEMPLATE_INDIVIDUALS
    assert FocusArea.objects.count() == 8


def _seed_migration():
    module = importlib.import_module("programs.migrations.0002_seed_focus_areas")
    apps = MigrationLoader(connection).project_state(("programs", "0002_seed_focus_areas")).apps
    return module, apps


def test_seed_migration_is_idempotent_and_reversible():
    module, apps = _seed_migration()
    module.seed(apps, None)
    assert FocusArea.objects.count() == 8

    FocusArea.objects.create(name="Ekonomi och bidrag", kind=ProgramKind.ASSOCIATIONS)
    module.unseed(apps, None)
    # Reversing removes only the template's eight, not what coordinators added.
    assert list(FocusArea.objects.values_list("name", flat=True)) == ["Ekonomi och bidrag"]

    module.seed(apps, None)
    assert FocusArea.objects.count() == 9


# --- seed_demo ----------------------------------------------------------------


def _counts():
    models = [User, Program, Organisation, Mentorship, Agreement, AgreementVersion, Meeting, ReminderItem]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["coordinations"] = Program.coordinators.through.objects.count()
    counts["program focus areas"] = Program.focus_areas.through.objects.count()
    counts["pair focus areas"] = Mentorship.focus_areas.through.objects.count()
    counts["outbox"] = OutgoingMail.objects.count()
    counts["focus areas"] = FocusArea.objects.count()
    return counts


def _seed_demo():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_twice_creates_everything_once():
    output = _seed_demo()
    first = _counts()
    _seed_demo()
    assert _counts() == first

    assert first["User"] == 6
    assert first["Program"] == 2
    assert first["Mentorship"] == 2
    assert first["Agreement"] == 2
    assert first["focus areas"] == 8
    # Demo pairs are created without inviting anyone (the people have
    # passwords); the booked meetings have their e-mail.
    assert not OutgoingMail.objects.exclude(
        kind__in=[SessionMail.MEETING_BOOKED, SessionMail.MEETING_REMINDER]
    ).exists()
    assert first["outbox"] > 0
    for email in DEMO_LOGINS:
        assert email in output
    assert DEMO_PASSWORD in output


def test_seed_demo_after_a_change_keeps_the_change():
    _seed_demo()
    pair = Mentorship.objects.get(mentee__email="mentee@example.org")
    pair.agreement.purpose_and_goals = "Egen text som inte får skrivas över."
    pair.agreement.save()
    _seed_demo()
    pair.agreement.refresh_from_db()
    assert pair.agreement.purpose_and_goals == "Egen text som inte får skrivas över."


def test_seed_demo_logins_work():
    _seed_demo()
    for email in DEMO_LOGINS:
        user = authenticate(username=email, password=DEMO_PASSWORD)
        assert user is not None, email
        assert user.email == email
        assert user.name


def test_seed_demo_roles():
    _seed_demo()
    admin = User.objects.get(email="admin@example.org")
    assert admin.is_superuser and admin.is_staff
    coordinator = User.objects.get(email="koordinator@example.org")
    assert coordinator.is_staff and not coordinator.is_superuser
    assert {p.kind for p in coordinator.coordinated_programs.all()} == {
        ProgramKind.ASSOCIATIONS,
        ProgramKind.INDIVIDUALS,
    }
    for email in DEMO_LOGINS[2:]:
        person = User.objects.get(email=email)
        assert not person.is_staff and not person.is_superuser


def test_seed_demo_pairs():
    _seed_demo()
    individual = Mentorship.objects.get(mentee__email="mentee@example.org", mentor__email="mentor@example.org")
    association = Mentorship.objects.get(
        mentee__email="annan.mentee@example.org", mentor__email="annan.mentor@example.org"
    )
    assert individual.program.kind == ProgramKind.INDIVIDUALS
    assert association.program.kind == ProgramKind.ASSOCIATIONS
    # Between associations, each side is a förening.
    assert association.mentor_organisation and association.mentee_organisation
    assert association.mentor_organisation != association.mentee_organisation
    for pair in (individual, association):
        assert pair.status == MentorshipStatus.ACTIVE
        offered = set(pair.program.focus_areas.all())
        assert set(pair.focus_areas.all()) <= offered
        assert all(fa.kind == pair.program.kind for fa in offered)


@pytest.mark.parametrize("mentee_email", ["mentee@example.org", "annan.mentee@example.org"])
def test_seed_demo_pair_has_a_realistic_agreement_and_meetings(mentee_email):
    _seed_demo()
    pair = Mentorship.objects.get(mentee__email=mentee_email)

    agreement = pair.agreement
    for field in Agreement.TEXT_FIELDS:
        assert len(getattr(agreement, field)) >= 5, field
    assert agreement.is_confirmed
    assert agreement.version == 1
    assert agreement.versions.get().version == 1

    meetings = list(pair.meetings.order_by("number"))
    assert 2 <= len(meetings) <= 3
    assert [m.number for m in meetings] == list(range(1, len(meetings) + 1))
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    booked = [m for m in meetings if m.status == MeetingStatus.BOOKED]
    assert held and len(booked) == 1
    # Held meetings lie before the booked next one, and every meeting has a time and a place.
    assert max(m.starts_at for m in held) < booked[0].starts_at
    for meeting in meetings:
        assert meeting.starts_at < meeting.ends_at
        assert meeting.location
    # "Kom ihåg" items are written at the first meeting.
    assert meetings[0].reminder_items.exists()


@pytest.fixture
def at_night(monkeypatch):
    """seed_demo run at 04:00 in Stockholm, as `make run` late at night."""
    night = dt.datetime.combine(timezone.localdate(), dt.time(4, 0), tzinfo=timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: night)
    return night


def test_seed_demo_meetings_are_on_weekday_evenings_in_stockholm(at_night):
    _seed_demo()
    meetings = list(Meeting.objects.all())
    assert len(meetings) == 5
    for meeting in meetings:
        local = timezone.localtime(meeting.starts_at)
        assert local.weekday() < 5, local
        assert dt.time(17, 0) <= local.time() <= dt.time(19, 0), local
        assert timezone.localtime(meeting.ends_at).time() <= dt.time(21, 0)
    for meeting in Meeting.objects.filter(status=MeetingStatus.BOOKED):
        # In the coming weeks.
        assert at_night < meeting.starts_at < at_night + dt.timedelta(weeks=4)


def test_seed_demo_booked_meetings_have_invitations_and_reminders(at_night):
    _seed_demo()
    booked = list(Meeting.objects.filter(status=MeetingStatus.BOOKED).select_related("mentorship"))
    assert len(booked) == 2
    for meeting in booked:
        pair = meeting.mentorship
        mail = OutgoingMail.objects.filter(meeting=meeting)
        invited = set(mail.filter(kind=SessionMail.MEETING_BOOKED).values_list("recipient", flat=True))
        assert invited == {pair.mentee_id, pair.mentor_id}
        reminders = mail.filter(kind=SessionMail.MEETING_REMINDER)
        assert set(reminders.values_list("recipient", flat=True)) == {pair.mentee_id, pair.mentor_id}
        assert all(at_night < row.due_at < meeting.starts_at for row in reminders)
    # Nothing is written about the meetings already held.
    assert not OutgoingMail.objects.filter(meeting__status=MeetingStatus.HELD).exists()
