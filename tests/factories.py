import datetime as dt

import factory
from django.utils import timezone

from accounts.models import Invitation, User
from outbox.models import OutgoingMail
from programs.models import Mentorship, MentorshipStatus, Organisation, Program, ProgramKind
from sessions.mail_kinds import SessionMail
from sessions.models import Agreement, Meeting, MeetingStatus

PASSWORD = "rätt-häst-batteri-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="sv_SE")
    password = factory.django.Password(PASSWORD)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    kind = ProgramKind.INDIVIDUALS
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Förening {n}")


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    program = factory.SubFactory(ProgramFactory)
    mentor = factory.SubFactory(UserFactory)
    mentee = factory.SubFactory(UserFactory)
    status = MentorshipStatus.ACTIVE
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=20))


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    mentorship = factory.SubFactory(MentorshipFactory)
    purpose_and_goals = "Att växa i rollen som ordförande."
    roles = "Menteen driver, mentorn är bollplank."
    version = 1


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    mentorship = factory.SubFactory(MentorshipFactory)
    number = factory.Sequence(lambda n: n + 2)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + dt.timedelta(hours=1) if m.starts_at else None)
    location = "Föreningshuset, Storgatan 1"
    status = MeetingStatus.BOOKED


class InvitationFactory(factory.django.DjangoModelFactory):
    """A link as invitation_create makes it, without its e-mail: for tests of
    the link itself (expired, used). Tests of the invitation as sent use the
    service."""

    class Meta:
        model = Invitation

    user = factory.SubFactory(UserFactory)
    mentorship = None
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))


class OutgoingMailFactory(factory.django.DjangoModelFactory):
    """An outbox row, due now, as mail_enqueue would write it."""

    class Meta:
        model = OutgoingMail

    recipient = factory.SubFactory(UserFactory)
    kind = SessionMail.MEETING_BOOKED
    due_at = factory.LazyFunction(timezone.now)
