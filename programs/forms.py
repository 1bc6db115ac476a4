"""The coordinator's forms on their own pages (the admin has its own)."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import PARTY_END_REASONS, CheckIn, EndReason, one_year_after

LONGEST_REPORT_DAYS = 366 * 10
# The report's dates: no program here began before 2000, and the years
# ahead leave room for a period that includes today. Beyond both ends the
# dates are typing errors, and year 1 or 9999 cannot even be turned into a
# time of day in Stockholm (an OverflowError, a 500).
FIRST_REPORT_DAY = date(2000, 1, 1)
REPORT_YEARS_AHEAD = 5


class CheckInForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = ["held_on", "with_whom", "channel", "note"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "with_whom": forms.RadioSelect,
            "channel": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"note": _("Only the program's coordinators read this, never the pair. At most 2,000 characters.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        # Radio buttons need no "---------": nothing ticked until chosen.
        for name in ("with_whom", "channel"):
            field = self.fields[name]
            field.choices = [choice for choice in field.choices if choice[0] != ""]

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        today = timezone.localdate()
        if held_on > today:
            raise forms.ValidationError(_("A check-in is recorded after it took place: choose today or earlier."))
        if held_on < today - timedelta(days=366 * 5):
            raise forms.ValidationError(_("Choose a date within the last five years."))
        return held_on


class ReportForm(forms.Form):
    starts = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    names = forms.BooleanField(
        label=_("Include the pairs' names"),
        required=False,
        help_text=_("Leave unticked for a report with counts only, e.g. for a funder."),
    )

    def clean_starts(self):
        return report_day_in_range(self.cleaned_data["starts"], today=timezone.localdate())

    def clean_ends(self):
        return report_day_in_range(self.cleaned_data["ends"], today=timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and starts > timezone.localdate():
            # A report counts what has happened: a period ahead would count
            # every pair as active and nothing as held.
            self.add_error("starts", _("The period has not begun yet: choose a first day no later than today."))
        elif starts and ends:
            if ends < starts:
                self.add_error("ends", _("The period must end on or after its first day."))
            elif (ends - starts).days > LONGEST_REPORT_DAYS:
                self.add_error("ends", _("Choose a period of at most ten years."))
        return cleaned


def report_day_in_range(day: date, *, today: date) -> date:
    last = date(today.year + REPORT_YEARS_AHEAD, 12, 31)
    if not FIRST_REPORT_DAY <= day <= last:
        raise forms.ValidationError(
            _("Choose a date from %(first)s to %(last)s.")
            % {"first": date_format(FIRST_REPORT_DAY, "j F Y"), "last": date_format(last, "j F Y")}
        )
    return day


class BackgroundCheckForm(forms.Form):
    """The coordinator records that a mentor showed an extract from the
    police's register: dates and who looked at it, never the document."""

    extract_date = forms.DateField(
        label=_("Date of the extract"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date the police issued it. The record is valid for one year from this date."),
    )
    shown_on = forms.DateField(label=_("Date it was shown"), widget=forms.DateInput(attrs={"type": "date"}))
    checked_by = forms.ModelChoiceField(label=_("Checked by"), queryset=None, empty_label=None)

    def __init__(self, *args: Any, checkers: Any, checked_by: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checked_by"].queryset = checkers
        self.fields["checked_by"].initial = checked_by.pk
        self.fields["shown_on"].initial = timezone.localdate()

    def clean_extract_date(self):
        extract_date = self.cleaned_data["extract_date"]
        today = timezone.localdate()
        if extract_date > today:
            raise forms.ValidationError(_("The extract's date cannot be in the future."))
        if one_year_after(extract_date) <= today:
            raise forms.ValidationError(
                _("An extract more than a year old is no longer valid: ask the mentor for a new one.")
            )
        return extract_date

    def clean_shown_on(self):
        shown_on = self.cleaned_data["shown_on"]
        if shown_on > timezone.localdate():
            raise forms.ValidationError(_("Record the extract once it has been shown: choose today or earlier."))
        return shown_on

    def clean(self):
        cleaned = super().clean()
        extract_date, shown_on = cleaned.get("extract_date"), cleaned.get("shown_on")
        if extract_date and shown_on and shown_on < extract_date:
            self.add_error("shown_on", _("The extract cannot have been shown before the date it was issued."))
        return cleaned


class EndForm(forms.Form):
    """Why a pair ends: a party's proposal (the party reasons) or the
    coordinator's decision (who may also say "discontinued")."""

    reason = forms.ChoiceField(label=_("Why do you want to end?"), choices=PARTY_END_REASONS, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("A few words (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
    )

    def __init__(self, *args: Any, coordinator: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if coordinator:
            self.fields["reason"].choices = EndReason.choices
            self.fields["reason"].label = _("Reason for ending")
            self.fields["note"].help_text = _("The pair reads this in the e-mail that tells them.")
            # Ending cannot be undone and e-mails both: no reason chosen for
            # them, and a box to tick, so one slip of the finger ends nothing.
            self.fields["confirm"] = forms.BooleanField(
                label=_("I understand that the pair ends today and that both are told by e-mail."),
                error_messages={"required": _("Tick the box to confirm that the pair is to end today.")},
            )
