"""Demo data for `make run`: idempotent, so a second run changes nothing."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from programs.models import FocusArea, Mentorship, MentorshipStatus, Organisation, Program, ProgramKind
from programs.services import mentorship_create
from sessions.demo_pairs import demo_pairs_add
from sessions.models import Agreement, AgreementVersion, Meeting, MeetingStatus, ReminderItem
from sessions.services.booking import meeting_book

PASSWORD = "mentorskap-demo"
PEOPLE = [
    # email, name, staff, superuser
    ("admin@example.org", "Ada Administratör", True, True),
    ("koordinator@example.org", "Karin Koordinator", True, False),
    ("mentee@example.org", "Maja Mentee", False, False),
    ("mentor@example.org", "Erik Mentor", False, False),
    ("annan.mentee@example.org", "Amir Adept", False, False),
    ("annan.mentor@example.org", "Birgitta Bollplank", False, False),
]
LOGINS = [email for email, *_rest in PEOPLE]


class Command(BaseCommand):
    help = "Create demo users, programs and pairs (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--pairs", type=int, default=0, help="also add this many generated pairs to the program between individuals"
        )
        parser.add_argument(
            "--password", default=None, help="the generated pairs' people log in with this password (the load test)"
        )

    @transaction.atomic
    def handle(self, *args, **options):
        people = {email: self._person(email, name, staff, su) for email, name, staff, su in PEOPLE}
        individuals, associations = self._programs(people["koordinator@example.org"])
        self._pair(
            individuals,
            people["mentor@example.org"],
            people["mentee@example.org"],
            INDIVIDUAL_AGREEMENT,
            INDIVIDUAL_MEETINGS,
            at=dt.time(17, 30),
        )
        self._pair(
            associations,
            people["annan.mentor@example.org"],
            people["annan.mentee@example.org"],
            ASSOCIATION_AGREEMENT,
            ASSOCIATION_MEETINGS,
            at=dt.time(18, 0),
            organisations=("Idrottsföreningen Framåt", "Kulturföreningen Gnistan"),
        )
        if options["pairs"] > 0:
            demo_pairs_add(program=individuals, count=options["pairs"], password=options["password"])
            self.stdout.write(f"Added {options['pairs']:,} pairs to {individuals}.")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/ with:"))
        for email in LOGINS:
            self.stdout.write(f"  {email:<28} password: {PASSWORD}")
        self.stdout.write("  (admin@example.org is a superuser; koordinator@example.org coordinates both programs)")

    def _person(self, email, name, staff, superuser):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            email=email, defaults={"name": name, "is_staff": staff, "is_superuser": superuser}
        )
        if created:
            # Everyone of the demo has come in: the pairs' people have written
            # and confirmed their journals, which nobody does without logging in.
            # They joined before the programs began (the earlier starts 60 days ago).
            user.set_password(PASSWORD)
            user.last_login = timezone.now()
            user.date_joined = user.last_login - dt.timedelta(days=70)
            user.save(update_fields=["password", "last_login", "date_joined"])
        return user

    def _programs(self, coordinator):
        today = timezone.localdate()
        individuals, _ = Program.objects.get_or_create(
            name="Ledarskap i föreningslivet 2026",
            defaults={
                "kind": ProgramKind.INDIVIDUALS,
                "starts_on": today - dt.timedelta(days=60),
                "ends_on": today + dt.timedelta(days=300),
                "description": "Mentorskap för förtroendevalda som vill utvecklas i sin roll.",
            },
        )
        associations, _ = Program.objects.get_or_create(
            name="Föreningar som lär av varandra 2026",
            defaults={
                "kind": ProgramKind.ASSOCIATIONS,
                "starts_on": today - dt.timedelta(days=45),
                "ends_on": today + dt.timedelta(days=320),
                "description": "Erfarna föreningar stöttar föreningar i förändring.",
            },
        )
        for program in (individuals, associations):
            program.coordinators.add(coordinator)
            program.focus_areas.add(*FocusArea.objects.filter(kind=program.kind))
        return individuals, associations

    def _pair(self, program, mentor, mentee, agreement, meetings, *, at, organisations=(None, None)):
        if Mentorship.objects.filter(program=program, mentor=mentor, mentee=mentee).exists():
            return
        mentor_org, mentee_org = (
            Organisation.objects.get_or_create(name=name)[0] if name else None for name in organisations
        )
        mentorship = mentorship_create(
            program=program,
            mentor=mentor,
            mentee=mentee,
            mentor_organisation=mentor_org,
            mentee_organisation=mentee_org,
            focus_areas=list(program.focus_areas.all()[:2]),
            starts_on=program.starts_on + dt.timedelta(days=7),
            status=MentorshipStatus.ACTIVE,
            notify=False,
        )
        # Set up by the coordinator a week before the program started (the field sets "now" itself).
        created = dt.datetime.combine(program.starts_on, dt.time(10, 0), tzinfo=timezone.get_default_timezone())
        Mentorship.objects.filter(pk=mentorship.pk).update(created_at=created - dt.timedelta(days=7))
        # The agreement is made at Tillfälle 1, the first meeting.
        self._agreement(mentorship, agreement, written=_weekday_evening(meetings[0][0], at) + dt.timedelta(hours=2))
        self._meetings(mentorship, meetings, at=at)

    def _agreement(self, mentorship, content, *, written):
        agreement = Agreement.objects.create(
            mentorship=mentorship,
            version=1,
            updated_by=mentorship.mentee,
            mentee_confirmed_at=written + dt.timedelta(minutes=3),
            mentor_confirmed_at=written + dt.timedelta(days=1),
            shared_confidentiality=content["confidentiality"],  # both confirmed it
            **content,
        )
        version = AgreementVersion.objects.create(
            agreement=agreement, version=1, content=content, saved_by=mentorship.mentee
        )
        # Written before it was confirmed (the fields set the time themselves).
        Agreement.objects.filter(pk=agreement.pk).update(updated_at=written)
        AgreementVersion.objects.filter(pk=version.pk).update(saved_at=written)

    def _meetings(self, mentorship, meetings, *, at):
        for number, (days_from_now, status, reflection, summary, remember) in enumerate(meetings, start=1):
            starts_at = _weekday_evening(days_from_now, at)
            ends_at = starts_at + dt.timedelta(hours=1, minutes=30)
            location = "Föreningshuset, Storgatan 1, Uppsala" if number % 2 else "https://meet.example.org/mentorskap"
            if status == MeetingStatus.BOOKED:
                # Booked as a mentee books: the outbox then holds the
                # calendar invitations and the reminders, as it would.
                meeting_book(mentorship=mentorship, starts_at=starts_at, ends_at=ends_at, location=location)
                continue
            # Meetings already held were booked before the demo began: only
            # their notes are written, no e-mail about the past goes out.
            meeting = Meeting.objects.create(
                mentorship=mentorship,
                number=number,
                starts_at=starts_at,
                ends_at=ends_at,
                location=location,
                status=status,
                reflection=reflection,
                summary=summary,
                version=1 if summary else 0,
                notes_updated_at=starts_at + dt.timedelta(hours=2) if summary else None,
            )
            for position, text in enumerate(remember):
                ReminderItem.objects.create(meeting=meeting, text=text, position=position, done=days_from_now < -20)


def _weekday_evening(days_from_now, at):
    """`at` o'clock in Stockholm on the weekday about `days_from_now` days
    away (a weekend day moves away from today): volunteers meet after work,
    not at the hour `seed_demo` happens to run."""
    step = dt.timedelta(days=1 if days_from_now >= 0 else -1)
    day = timezone.localdate() + dt.timedelta(days=days_from_now)
    while day.weekday() >= 5:
        day += step
    # Combined in local time on purpose: 17:30 stays 17:30 across a change to or from summer time.
    return dt.datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


INDIVIDUAL_AGREEMENT = {
    "purpose_and_goals": (
        "Jag vill bli tryggare som ny ordförande: leda styrelsemöten effektivt, "
        "delegera mer och hitta en hållbar arbetsbelastning. Mål: en fungerande "
        "arbetsordning för styrelsen före årsmötet."
    ),
    "roles": (
        "Jag (mentee) driver processen, förbereder frågor och skriver anteckningar. "
        "Erik är bollplank och delar egna erfarenheter, men ger inga färdiga svar."
    ),
    "communication": "Vi mejlar mellan träffarna vid behov, svar inom en vecka. Inga samtal på kvällar.",
    "areas": "Ledarskap, styrelsearbete och balans mellan ideellt uppdrag och familj.",
    "confidentiality": "private",
    "confidentiality_notes": "Det vi säger stannar mellan oss. Samordnaren ser bara datum.",
    "meeting_arrangements": "Vi ses var fjärde vecka, 1,5 timme, växelvis på plats och digitalt.",
    "costs": "Fika betalar vi själva. Resor ersätts av föreningen enligt policy.",
    "summary": "Bra första träff. Vi gick igenom förväntningar och kom överens om upplägget.",
}
INDIVIDUAL_MEETINGS = [
    (-42, MeetingStatus.HELD, "", "", ["Läsa stadgarna inför nästa träff"]),
    (
        -14,
        MeetingStatus.HELD,
        "Jag har läst stadgarna och ser att arbetsordningen saknas helt.",
        "Vi pratade om hur man delegerar utan att släppa ansvaret. Erik delade sin modell med ansvarskort.",
        ["Skissa ansvarskort för styrelsen", "Boka samtal med kassören"],
    ),
    (14, MeetingStatus.BOOKED, "", "", []),
]
ASSOCIATION_AGREEMENT = {
    "purpose_and_goals": "Gnistan vill starta ungdomsverksamhet och lära av Framåts erfarenhet av samma resa.",
    "roles": "Gnistans styrelse driver; Framåts kontaktperson stöttar och öppnar dörrar.",
    "communication": "Kontaktpersonerna mejlar varandra; styrelserna träffas varje kvartal.",
    "areas": "Uppstart av ny verksamhet, bidragsansökningar, ledarrekrytering.",
    "confidentiality": "agreement",
    "confidentiality_notes": "Samordnaren får läsa överenskommelsen men inte anteckningarna.",
    "meeting_arrangements": "En träff i månaden under vårterminen, på plats hos Framåt.",
    "costs": "Varje förening står för sina egna kostnader.",
    "summary": "Vi kartlade Gnistans läge och valde bidragsansökan som första fokus.",
}
ASSOCIATION_MEETINGS = [
    (-20, MeetingStatus.HELD, "", "", ["Ta fram förra årets bidragsansökan"]),
    (9, MeetingStatus.BOOKED, "", "", []),
]
