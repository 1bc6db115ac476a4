"""The domain's rules that live in the database, and the models' small helpers.

Each constraint is tested by writing past the model's own validation
(``objects.create``), so the test proves the database itself refuses.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from accounts.models import User
from programs.models import FocusArea, Mentorship, MentorshipStatus, Organisation, Program, ProgramKind
from programs.validators import luhn_ok, normalise_organisation_number
from sessions.models import Confidentiality, Meeting

from .factories import (
    AgreementFactory,
    MeetingFactory,
    MentorshipFactory,
    OrganisationFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def refused_by_database(create):
    """True if the database raises IntegrityError for the write."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


# --- Mentorship -------------------------------------------------------------


def test_pair_is_unique_per_program(mentorship):
    assert refused_by_database(
        lambda: Mentorship.objects.create(
            program=mentorship.program, mentor=mentorship.mentor, mentee=mentorship.mentee
        )
    )


def test_same_pair_may_exist_in_another_program(mentorship, other_program):
    Mentorship.objects.create(program=other_program, mentor=mentorship.mentor, mentee=mentorship.mentee)
    assert Mentorship.objects.filter(mentor=mentorship.mentor, mentee=mentorship.mentee).count() == 2


def test_swapped_roles_are_another_pair(mentorship):
    Mentorship.objects.create(program=mentorship.program, mentor=mentorship.mentee, mentee=mentorship.mentor)
    assert mentorship.program.mentorships.count() == 2


def test_duplicate_pair_is_reported_by_full_clean(mentorship):
    duplicate = Mentorship(program=mentorship.program, mentor=mentorship.mentor, mentee=mentorship.mentee)
    with pytest.raises(ValidationError, match="already exists"):
        duplicate.full_clean()


def test_mentor_cannot_be_mentee(program, mentee):
    assert refused_by_database(lambda: Mentorship.objects.create(program=program, mentor=mentee, mentee=mentee))
    with pytest.raises(ValidationError, match="different people"):
        Mentorship(program=program, mentor=mentee, mentee=mentee).full_clean()


def test_mentorship_ends_after_start(program, mentor, mentee):
    today = timezone.localdate()
    assert refused_by_database(
        lambda: Mentorship.objects.create(
            program=program, mentor=mentor, mentee=mentee, starts_on=today, ends_on=today - dt.timedelta(days=1)
        )
    )
    # The same day, or an open end, is fine.
    Mentorship.objects.create(program=program, mentor=mentor, mentee=mentee, starts_on=today, ends_on=today)
    Mentorship.objects.create(program=program, mentor=mentee, mentee=mentor, ends_on=today)


# --- Program ------------------------------------------------------------------


def test_program_ends_after_start():
    today = timezone.localdate()
    assert refused_by_database(
        lambda: Program.objects.create(
            name="Bakvänt", kind=ProgramKind.INDIVIDUALS, starts_on=today, ends_on=today - dt.timedelta(days=1)
        )
    )
    Program.objects.create(name="Öppet slut", kind=ProgramKind.INDIVIDUALS, starts_on=today)
    Program.objects.create(name="En dag", kind=ProgramKind.INDIVIDUALS, starts_on=today, ends_on=today)


def test_program_end_before_start_is_a_validation_error():
    today = timezone.localdate()
    program = Program(name="Bakvänt", kind=ProgramKind.ASSOCIATIONS, starts_on=today, ends_on=today - dt.timedelta(1))
    with pytest.raises(ValidationError, match="end date cannot be before"):
        program.full_clean()


def test_program_name_is_unique(program):
    assert refused_by_database(
        lambda: Program.objects.create(name=program.name, kind=program.kind, starts_on=program.starts_on)
    )


# --- Meeting ------------------------------------------------------------------


def test_meeting_ends_after_start(mentorship):
    start = timezone.now()
    assert refused_by_database(
        lambda: Meeting.objects.create(mentorship=mentorship, number=1, starts_at=start, ends_at=start)
    )
    assert refused_by_database(
        lambda: Meeting.objects.create(
            mentorship=mentorship, number=1, starts_at=start, ends_at=start - dt.timedelta(minutes=5)
        )
    )
    # Not yet booked: no times at all is allowed.
    Meeting.objects.create(mentorship=mentorship, number=1)


def test_meeting_number_is_unique_per_mentorship(mentorship, other_mentorship):
    Meeting.objects.create(mentorship=mentorship, number=1)
    assert refused_by_database(lambda: Meeting.objects.create(mentorship=mentorship, number=1))
    Meeting.objects.create(mentorship=other_mentorship, number=1)


def test_meeting_number_is_positive(mentorship):
    assert refused_by_database(lambda: Meeting.objects.create(mentorship=mentorship, number=0))


# --- User ---------------------------------------------------------------------


def test_user_email_is_unique_ignoring_case():
    User.objects.create(email="Maja@Example.org")
    assert refused_by_database(lambda: User.objects.create(email="maja@example.org"))
    assert refused_by_database(lambda: User.objects.create(email="MAJA@EXAMPLE.ORG"))


def test_create_user_lowercases_the_email_and_login_ignores_case():
    user = User.objects.create_user("Erik.Mentor@Example.ORG", password="rätt-häst-batteri-42")
    assert user.email == "erik.mentor@example.org"
    assert User.objects.get_by_natural_key("ERIK.MENTOR@example.org") == user


def test_user_display_name_falls_back_to_email():
    assert UserFactory(email="a@example.org", name="").display_name == "a@example.org"
    named = UserFactory(email="b@example.org", name="Birgitta Bollplank")
    assert str(named) == "Birgitta Bollplank"
    assert named.get_short_name() == "Birgitta"


# --- Organisation number ------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("802012-3454", "802012-3454"),
        ("8020123454", "802012-3454"),
        ("556036-0793", "556036-0793"),
        ("202100-5489", "202100-5489"),
    ],
)
def test_valid_organisation_numbers_are_normalised(given, stored):
    organisation = Organisation(name="Idrottsföreningen Framåt", organisation_number=given)
    organisation.full_clean()
    assert organisation.organisation_number == stored


@pytest.mark.parametrize(
    "given",
    [
        "802012-3456",  # Luhn check digit wrong
        "556036-0794",
        "80201-23454",  # hyphen in the wrong place
        "802012+3454",
        "802012 3454",
        "80201234",  # too short
        "19802012-3454",  # twelve digits
        "abcdef-ghij",
        "８０２０１２-３４５４",  # full-width digits are not ASCII digits
    ],
)
def test_invalid_organisation_numbers_are_refused(given):
    with pytest.raises(ValidationError):
        Organisation(name="Förening", organisation_number=given).full_clean()


def test_organisation_number_is_optional():
    Organisation(name="Förening utan nummer", organisation_number="").full_clean()


def test_luhn():
    assert luhn_ok("5560360793")
    assert not luhn_ok("5560360794")
    assert normalise_organisation_number("5560360793") == "556036-0793"


def test_organisation_error_message_gives_a_valid_example():
    with pytest.raises(ValidationError) as caught:
        normalise_organisation_number("123")
    example = str(caught.value.messages[0]).rsplit(" ", 1)[-1].rstrip(".")
    assert normalise_organisation_number(example) == example


def test_organisation_name_is_unique():
    OrganisationFactory(name="Kulturföreningen Gnistan")
    assert refused_by_database(lambda: Organisation.objects.create(name="Kulturföreningen Gnistan"))


# --- Small properties ---------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "closed"),
    [
        (MentorshipStatus.INVITED, False),
        (MentorshipStatus.ACTIVE, False),
        (MentorshipStatus.ENDED, True),
        (MentorshipStatus.CANCELLED, True),
    ],
)
def test_mentorship_is_closed(status, closed):
    assert Mentorship(status=status).is_closed is closed


def test_role_of_and_other_party(mentorship, mentor, mentee, outsider):
    assert mentorship.role_of(mentee) == "mentee"
    assert mentorship.role_of(mentor) == "mentor"
    assert mentorship.role_of(outsider) is None
    assert mentorship.other_party(mentee) == mentor
    assert mentorship.other_party(mentor) == mentee


def test_mentorship_str_names_both_and_the_program(mentorship):
    assert str(mentorship) == "Maja Mentee ↔ Erik Mentor (Ledarskap 2026)"


def test_new_mentorship_is_invited_with_a_uuid(program, mentor, mentee):
    pair = Mentorship.objects.create(program=program, mentor=mentor, mentee=mentee)
    assert pair.status == MentorshipStatus.INVITED
    assert pair.public_id.version == 4


def test_agreement_is_confirmed_only_by_both(mentorship):
    agreement = AgreementFactory(mentorship=mentorship)
    assert agreement.is_started
    assert not agreement.is_confirmed
    agreement.mentee_confirmed_at = timezone.now()
    assert not agreement.is_confirmed
    agreement.mentor_confirmed_at = timezone.now()
    assert agreement.is_confirmed
    assert agreement.confidentiality == Confidentiality.PRIVATE


def test_meeting_properties(mentorship):
    first = MeetingFactory(mentorship=mentorship, number=1)
    assert first.is_first
    assert not first.has_notes
    second = MeetingFactory(mentorship=mentorship, number=2, summary="Vi pratade om delegering.")
    assert not second.is_first
    assert second.has_notes


def test_deleting_a_program_with_pairs_is_refused(mentorship):
    with pytest.raises(ProtectedError):
        mentorship.program.delete()


def test_program_factory_default_is_valid():
    ProgramFactory().full_clean()
    MentorshipFactory().full_clean()


def test_a_program_offers_the_focus_areas_it_names_or_all_when_it_names_none(program):
    first, second = FocusArea.objects.filter(kind=program.kind)[:2]
    assert program.focus_areas_not_offered([first, second]) == []
    program.focus_areas.set([first])
    assert program.focus_areas_not_offered([first, second]) == [second]
