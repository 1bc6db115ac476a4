import contextlib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from mentorskap.encrypted_fields import EncryptedTextField

from .validators import normalise_organisation_number, validate_organisation_number


class ProgramKind(models.TextChoices):
    ASSOCIATIONS = "associations", _("Between associations")
    INDIVIDUALS = "individuals", _("Between individuals")


class FocusArea(models.Model):
    """A focus area a pair may choose; the template's eight are seeded."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgramKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["kind", "position", "name"]

    def __str__(self):
        # The template's eight are stored in Swedish and translated
        # (programs.focus_area_names); one a coordinator adds shows as typed.
        return gettext(self.name)


class Program(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgramKind.choices)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("coordinators"), related_name="coordinated_programs", blank=True
    )
    focus_areas = models.ManyToManyField(FocusArea, verbose_name=_("focus areas offered"), blank=True)
    reminder_days_before = models.PositiveSmallIntegerField(
        _("first reminder (days before)"), default=2, help_text=_("0 turns this reminder off.")
    )
    reminder_hours_before = models.PositiveSmallIntegerField(
        _("second reminder (hours before)"), default=2, help_text=_("0 turns this reminder off.")
    )
    notes_nudge_after_days = models.PositiveSmallIntegerField(_("nudge for missing notes after (days)"), default=3)
    booking_nudge_after_days = models.PositiveSmallIntegerField(
        _("nudge for no booked meeting after (days)"), default=14
    )
    booking_nudge_max = models.PositiveSmallIntegerField(_("booking nudges at most"), default=3)
    stalled_after_weeks = models.PositiveSmallIntegerField(_("stalled after (weeks without a meeting)"), default=6)
    agreement_due_weeks = models.PositiveSmallIntegerField(_("agreement expected within (weeks)"), default=3)
    inactive_after_weeks = models.PositiveSmallIntegerField(
        _("ask whether to go on after (weeks without activity)"),
        default=12,
        db_default=12,
        help_text=_(
            "A pair with no meeting for this many weeks gets one e-mail asking whether to go on. 0 turns it off."
        ),
    )
    # The coordinator's own follow-up of each pair (good practice: twice in
    # the first month, then monthly); see programs.checkins.
    checkins_first_month = models.PositiveSmallIntegerField(
        _("check-ins in the first month"),
        default=2,
        validators=[MaxValueValidator(4)],
        help_text=_("How many times the coordinator checks in with a new pair in its first month (0 to 4)."),
    )
    checkin_interval_days = models.PositiveSmallIntegerField(
        _("check-in after that every (days)"),
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
        help_text=_("After the first month, a check-in is due this many days after the last one."),
    )
    # Programs with young mentees ask mentors for an extract from the
    # police's register (registerutdrag); see BackgroundCheck.
    # db_default too: the version still serving while this migrates inserts
    # programs without the column.
    requires_background_check = models.BooleanField(
        _("mentors must show an extract from the police's register"),
        default=False,
        db_default=False,
        help_text=_(
            "A pair cannot become active until its mentor's extract is recorded; "
            "a record is valid for one year from the extract's date."
        ),
    )
    # Follow-up surveys (the surveys app): a check-in some days after the
    # agreement is confirmed, the evaluation when a pair has ended. With
    # db_default: the release still serving inserts programs without them.
    survey_checkin = models.BooleanField(_("check-in survey"), default=True, db_default=True)
    survey_checkin_after_days = models.PositiveSmallIntegerField(
        _("check-in survey after (days)"),
        default=30,
        db_default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days after the pair has confirmed its agreement."),
    )
    survey_evaluation = models.BooleanField(_("evaluation when a pair ends"), default=True, db_default=True)
    survey_anonymous = models.BooleanField(
        _("anonymous answers"),
        default=True,
        db_default=True,
        help_text=_("Anonymous: nobody can see who answered what. Otherwise the answers carry the person's name."),
    )
    # How long the pairs' journals and e-mail are kept once the program has
    # ended (privacy.retention); a program without an end date keeps them.
    retention_months = models.PositiveSmallIntegerField(
        _("keep the pairs' data for (months after the end)"),
        default=24,
        db_default=24,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_(
            "After this many months from the program's end date the pairs are anonymised and their e-mail deleted. "
            "The coordinators are told a month before."
        ),
    )
    retention_applied_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentorship program")
        verbose_name_plural = _("mentorship programs")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="program_name_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="program_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.name

    def offered_focus_areas(self):
        """The focus areas a pair of this program may choose: those the
        program names, or, when it names none, all of its kind (the template
        has four for associations and four for individuals)."""
        named = list(self.focus_areas.all())
        return named or list(FocusArea.objects.filter(kind=self.kind))

    def focus_areas_not_offered(self, areas, *, offered=None):
        """Those of `areas` a pair of this program may not choose; `offered`
        is `offered_focus_areas()` when the caller has read it already."""
        offered = set(self.offered_focus_areas() if offered is None else offered)
        return [area for area in areas if area not in offered]


class Organisation(models.Model):
    """A förening: in mentorship between associations, each side is one."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation_number = models.CharField(
        _("organisation number"), max_length=11, blank=True, validators=[validate_organisation_number]
    )
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("contact persons"), related_name="organisations", blank=True
    )

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.organisation_number:
            # A bad number is reported by the field's own validator; saying it twice helps no one.
            with contextlib.suppress(ValidationError):
                self.organisation_number = normalise_organisation_number(self.organisation_number)


class MentorshipStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    # Context: a pair called off before it began, "makulerat" in Swedish; a
    # pair that stopped meeting is ended with the reason "avbrutet".
    CANCELLED = "cancelled", pgettext_lazy("mentorship status", "Cancelled")


class EndReason(models.TextChoices):
    """Why a pair ended (issue 11): chosen by the party who proposes the end,
    or by the coordinator, who alone may say "discontinued"."""

    GOALS_REACHED = "goals_reached", _("The goals are reached")
    TIME_OVER = "time_over", _("The agreed time is over")
    NOT_WORKING = "not_working", _("It does not work for us")
    OTHER = "other", _("Other reason")
    # Context: a cancelled mentorship is "avbrutet" in Swedish.
    DISCONTINUED = "discontinued", pgettext_lazy("mentorship", "Discontinued")


# The reasons a party may give; DISCONTINUED is the coordinator's.
PARTY_END_REASONS = [choice for choice in EndReason.choices if choice[0] != EndReason.DISCONTINUED]


# The length of a meeting booked without an end time: the booking form, the
# calendar invitation, the dispatcher's "the meeting is over" and the funder
# report's hours all use it. Added in real time (UTC), so a meeting across a
# change of the clocks still lasts this long.
DEFAULT_MEETING_LENGTH = timedelta(hours=1, minutes=30)


class MeetingStatus(models.TextChoices):
    """A meeting's status. The meetings are the journal's (sessions.Meeting);
    the status is declared here, below the journal, because the program's
    rules count meetings too (see programs.selectors.held_meetings)."""

    BOOKED = "booked", _("Booked")
    HELD = "held", _("Held")
    # Context: a cancelled meeting is "inställd" in Swedish, a cancelled mentorship "avbruten".
    CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")


class Mentorship(models.Model):
    """A pair: one mentor side and one mentee side in a program."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="mentorships"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="mentorships_as_mentor",
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentee"),
        on_delete=models.PROTECT,
        related_name="mentorships_as_mentee",
    )
    mentor_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("mentor's association"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    mentee_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("mentee's association"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    focus_areas = models.ManyToManyField(FocusArea, verbose_name=_("focus areas"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MentorshipStatus.choices, default=MentorshipStatus.INVITED, db_index=True
    )
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    # Ending well (issue 11): one party proposes with a reason, the other
    # confirms; the reason stays on the pair once it has ended. Only
    # programs.services.mentorship_end_* write these.
    # db_default: the release still serving while this migrates inserts pairs without them.
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=EndReason.choices, blank=True, default="", db_default=""
    )
    end_note = models.CharField(_("about the ending"), max_length=300, blank=True, default="", db_default="")
    end_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("end proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    end_proposed_at = models.DateTimeField(_("end proposed"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the one "shall we go on?" e-mail went out, so it goes out once.
    inactivity_mail_at = models.DateTimeField(_("asked whether to go on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        # "Par", as on the coordinator's pages: the admin called the same
        # thing "mentorskap", and a coordinator met two words for one thing.
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")
        ordering = ["program", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentor", "mentee"],
                name="mentorship_pair_unique_per_program",
                violation_error_message=_("This pair already exists in the program."),
            ),
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")),
                name="mentorship_mentor_is_not_mentee",
                violation_error_message=_("The mentor and the mentee must be different people."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="mentorship_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"], name="mentorship_mentor_status"),
            models.Index(fields=["mentee", "status"], name="mentorship_mentee_status"),
            # One program's pairs newest first, as the admin's list filtered by
            # program shows them: the first 100 without sorting all 10,000.
            models.Index(fields=["program", "-created_at", "-id"], name="mentorship_program_newest"),
        ]

    def __str__(self):
        return f"{self.mentee} ↔ {self.mentor} ({self.program})"

    @property
    def is_closed(self):
        return self.status in (MentorshipStatus.ENDED, MentorshipStatus.CANCELLED)

    def role_of(self, user):
        if user.pk == self.mentee_id:
            return "mentee"
        if user.pk == self.mentor_id:
            return "mentor"
        return None

    def other_party(self, user):
        return self.mentor if user.pk == self.mentee_id else self.mentee


class CheckInWith(models.TextChoices):
    MENTEE = "mentee", _("The mentee")
    MENTOR = "mentor", _("The mentor")
    BOTH = "both", _("Both")


class CheckInChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")


class CheckIn(models.Model):
    """The coordinator's own follow-up of a pair ("avstämning"): when, with
    whom, how, and a short note that only the program's coordinators read
    (never the pair)."""

    mentorship = models.ForeignKey(
        Mentorship, verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="checkins"
    )
    held_on = models.DateField(_("date"))
    with_whom = models.CharField(_("with whom"), max_length=10, choices=CheckInWith.choices)
    channel = models.CharField(_("how"), max_length=10, choices=CheckInChannel.choices)
    note = EncryptedTextField(_("note for coordinators"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["mentorship", "held_on"], name="checkin_mentorship_held")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} ({self.get_with_whom_display()}, {self.get_channel_display()})"


class PairImportUpload(models.Model):
    """A CSV file of pairs between its preview and "Importera". Kept here, so
    the confirmation posts a short token instead of the whole file (which, in
    a hidden field, could pass Django's limit on form data and end in a bare
    400). Only the coordinator who uploaded it can use the token, and only for
    an hour (see programs/pair_import_uploads.py)."""

    token = models.CharField(max_length=64, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.uploaded_by} {self.created_at:%Y-%m-%d %H:%M}"


def one_year_after(day):
    """The same date a year later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


class BackgroundCheck(models.Model):
    """A mentor has shown an extract from the police's register
    (registerutdrag): when it was issued, when it was shown, and who looked
    at it. Never the document itself. One per person, so one check serves all
    their pairs; a new extract replaces the dates (the audit trail keeps who
    changed what). Valid for one year from the extract's date."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="background_check",
    )
    extract_date = models.DateField(_("date of the extract"))
    shown_on = models.DateField(_("date it was shown"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    # When the coordinators were told it expires soon; cleared by a new extract date.
    expiry_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("extract from the police's register")
        verbose_name_plural = _("extracts from the police's register")
        ordering = ["person__name", "person__email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shown_on__gte=F("extract_date")),
                name="background_check_shown_after_extract",
                violation_error_message=_("The extract cannot have been shown before the date it was issued."),
            ),
        ]

    def __str__(self):
        return str(_("Extract from the police's register for %(person)s") % {"person": self.person})

    @property
    def expires_on(self):
        return one_year_after(self.extract_date)

    def is_valid_on(self, day):
        return self.extract_date <= day < self.expires_on
