"""The pair form of the admin: people by e-mail, fixed once the journal has started."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..background_checks import background_check_missing_for
from ..models import Mentorship, MentorshipStatus
from ..selectors import journal_started
from ..services import mentorship_lock, programs_lock_for_new_pairs
from ..validators import end_date_after_program, end_date_too_far, open_pair_end_date_passed


def _user_max_length(field):
    return get_user_model()._meta.get_field(field).max_length


PEOPLE_FIELDS = ("mentor_email", "mentor_name", "mentee_email", "mentee_name")


def _normalised(name, value):
    value = (value or "").strip()
    return value.lower() if name.endswith("_email") else value


class MentorshipAdminForm(forms.ModelForm):
    """Pairs are set up by e-mail: new people are created and invited."""

    # As long as the User fields they are saved in: a longer address would
    # pass the form and fail in the database (PostgreSQL).
    mentor_email = forms.EmailField(label=_("Mentor's e-mail"), max_length=_user_max_length("email"))
    mentor_name = forms.CharField(label=_("Mentor's name"), max_length=_user_max_length("name"), required=False)
    mentee_email = forms.EmailField(label=_("Mentee's e-mail"), max_length=_user_max_length("email"))
    mentee_name = forms.CharField(label=_("Mentee's name"), max_length=_user_max_length("name"), required=False)

    class Meta:
        model = Mentorship
        fields = [
            "program",
            "mentor_organisation",
            "mentee_organisation",
            "focus_areas",
            "status",
            "starts_on",
            "ends_on",
            "end_reason",
            "end_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for role in ("mentor", "mentee"):
                person = getattr(self.instance, role)
                self.fields[f"{role}_email"].initial = person.email
                self.fields[f"{role}_name"].initial = person.name
            if journal_started(self.instance):
                self._fix_people()

    def _fix_people(self):
        """Once the pair has written in its journal, whoever is put on the pair
        reads all of it: a coordinator could put themselves in and read the
        notes the pair keeps from them. A disabled field keeps its initial
        value whatever is posted; clean() also refuses a posted change."""
        for name in PEOPLE_FIELDS:
            self.fields[name].disabled = True
        for name in ("mentor_email", "mentee_email"):
            self.fields[name].help_text = _(
                "The pair has started its journal, so the people can no longer be changed: "
                "whoever joins would read what the two have written. "
                "To pair someone else, end this pair and create a new one."
            )

    def clean(self):
        cleaned = super().clean()
        mentor, mentee = cleaned.get("mentor_email", ""), cleaned.get("mentee_email", "")
        if mentor and mentor.lower() == mentee.lower():
            raise forms.ValidationError(_("The mentor and the mentee must be different people."))
        program = cleaned.get("program")
        if program and mentor and mentee:
            programs_lock_for_new_pairs([program.pk])  # the admin saves in the same transaction
            clash = Mentorship.objects.filter(
                program=program, mentor__email__iexact=mentor, mentee__email__iexact=mentee
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("This pair already exists in the program."))
        if self.instance.pk:
            self._refuse_people_change_after_journal_started()
        self._check_focus_areas_offered(program, cleaned.get("focus_areas"))
        self._check_open_pair_not_past_its_end(program, cleaned.get("status"), cleaned.get("ends_on"))
        wrong_end = end_date_too_far(cleaned.get("ends_on"), today=timezone.localdate()) or end_date_after_program(
            cleaned.get("ends_on"), program
        )
        if wrong_end:
            self.add_error("ends_on", wrong_end)
        self._check_background_check(program, cleaned.get("status"), mentor)
        return cleaned

    def _check_background_check(self, program, status, mentor_email):
        # A pair becomes active only with its mentor's extract recorded
        # (programs.background_checks); one already active stays so.
        if not program or status != MentorshipStatus.ACTIVE or not mentor_email:
            return
        if self.instance.pk and self.instance.status == MentorshipStatus.ACTIVE:
            return
        mentor = get_user_model().objects.filter(email__iexact=mentor_email).first()
        reason = background_check_missing_for(program, mentor.pk if mentor else None)
        if reason:
            self.add_error("status", reason)

    def _check_open_pair_not_past_its_end(self, program, status, ends_on):
        if status not in (MentorshipStatus.INVITED, MentorshipStatus.ACTIVE):
            return
        today = timezone.localdate()
        passed = open_pair_end_date_passed(ends_on, today=today)
        if passed:
            self.add_error("ends_on", passed)
        elif program and program.ends_on and program.ends_on < today:
            self.add_error(
                "status",
                _("The program ended on %(date)s: its pairs can no longer be open.")
                % {"date": date_format(program.ends_on)},
            )

    def _refuse_people_change_after_journal_started(self):
        # Held until the save commits: the journal cannot start between this
        # check and the save.
        try:
            mentorship_lock(self.instance.pk)
        except Mentorship.DoesNotExist:
            raise forms.ValidationError(_("The pair has been deleted.")) from None
        if not journal_started(self.instance):
            return
        for name in PEOPLE_FIELDS:
            posted = self.data.get(self.add_prefix(name))  # a disabled field is not sent by a browser
            if posted is not None and _normalised(name, posted) != _normalised(name, self.fields[name].initial):
                self.add_error(name, _("The pair has started its journal; its people cannot be changed."))

    def _check_focus_areas_offered(self, program, focus_areas):
        if not (program and focus_areas):
            return
        # Only areas added now: one the pair already has stays (the program
        # may have stopped offering it), as in the agreement form - unless
        # the pair moves to another program, whose offer then applies.
        same_program = self.instance.pk and program.pk == self.instance.program_id
        kept = set(self.instance.focus_areas.all()) if same_program else set()
        for area in program.focus_areas_not_offered([area for area in focus_areas if area not in kept]):
            self.add_error("focus_areas", _("The program does not offer the focus area %(name)s.") % {"name": area})

    def _post_clean(self):
        # The people are resolved on save; the model's own checks of mentor
        # and mentee run against the e-mail addresses in clean() above.
        self._validate_unique = False
        super()._post_clean()
