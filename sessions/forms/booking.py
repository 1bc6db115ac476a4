"""Booking a meeting: times are entered and shown in Europe/Stockholm."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorskap.localtime import LOCAL_TZ
from mentorskap.text import one_line

from ..models.meeting import DEFAULT_MEETING_LENGTH

MAX_DAYS_AHEAD = 365
PAST_MESSAGE = _("The time has already passed. Choose a time in the future.")
FAR_MESSAGE = _("Book at most a year ahead.")


def to_aware(day, clock):
    """A wall-clock time in Stockholm as an aware datetime, or a ValidationError
    for a time that does not exist or exists twice at a DST change."""
    zone = LOCAL_TZ
    first = dt.datetime.combine(day, clock, tzinfo=zone)
    round_trip = first.astimezone(dt.UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != first.replace(tzinfo=None):
        raise forms.ValidationError(
            _("%(time)s does not exist on %(date)s, when the clocks are set forward. Choose another time."),
            code="nonexistent_time",
            params={"time": clock.strftime("%H:%M"), "date": day.isoformat()},
        )
    second = first.replace(fold=1)
    if first.utcoffset() != second.utcoffset():
        raise forms.ValidationError(
            _("%(time)s occurs twice on %(date)s, when the clocks are set back. Choose another time."),
            code="ambiguous_time",
            params={"time": clock.strftime("%H:%M"), "date": day.isoformat()},
        )
    return first


class BookingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(
        label=_("End time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Leave empty for one and a half hours."),
    )
    location = forms.CharField(
        label=_("Place or video link"),
        max_length=300,
        required=False,
        help_text=_("An address, a room or a link to a video meeting."),
    )

    closing = forms.BooleanField(
        label=_("Closing meeting"),
        required=False,
        help_text=_(
            "The last meeting before you end: you look back on what you have learnt and what you take with you."
        ),
    )

    def __init__(self, *args, meeting=None, **kwargs):
        if meeting is not None and meeting.starts_at and "initial" not in kwargs:
            start = timezone.localtime(meeting.starts_at)
            end = timezone.localtime(meeting.ends_at) if meeting.ends_at else None
            kwargs["initial"] = {
                "date": start.date(),
                "start_time": start.time(),
                "end_time": end.time() if end else None,
                "location": meeting.location,
                "closing": meeting.is_closing,
            }
        super().__init__(*args, **kwargs)

    def clean_location(self):
        # A line break in a place would end up in e-mail and calendar headers.
        return one_line(self.cleaned_data["location"])

    def clean(self):
        cleaned = super().clean()
        day, start = cleaned.get("date"), cleaned.get("start_time")
        if day is None or start is None:
            return cleaned
        if not self._date_in_range(day):
            return cleaned
        try:
            starts_at = to_aware(day, start)
        except forms.ValidationError as error:
            self.add_error("start_time", error)
            return cleaned
        ends_at = self._ends_at(day, starts_at, cleaned.get("end_time"))
        if ends_at is None:
            return cleaned
        now = timezone.now()
        if starts_at < now:
            self.add_error("date", PAST_MESSAGE)
        elif starts_at > now + dt.timedelta(days=MAX_DAYS_AHEAD):
            self.add_error("date", FAR_MESSAGE)
        if ends_at <= starts_at:
            self.add_error("end_time", _("The meeting must end after it starts."))
        cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
        return cleaned

    def _date_in_range(self, day):
        """Refuse a date far out before any arithmetic: the year 1 or 9999
        would overflow when turned into UTC or given an end time."""
        today = timezone.localdate()
        if day < today - dt.timedelta(days=1):
            self.add_error("date", PAST_MESSAGE)
        elif day > today + dt.timedelta(days=MAX_DAYS_AHEAD + 1):
            self.add_error("date", FAR_MESSAGE)
        else:
            return True
        return False

    def _ends_at(self, day, starts_at, end):
        if end is None:
            # In real time: a meeting at 01:30 on the night the clocks go
            # forward still lasts the default length, not 30 minutes.
            return starts_at.astimezone(dt.UTC) + DEFAULT_MEETING_LENGTH
        try:
            return to_aware(day, end)
        except forms.ValidationError as error:
            self.add_error("end_time", error)
            return None

    def booking(self):
        """The service's keyword arguments."""
        data = self.cleaned_data
        return {"starts_at": data["starts_at"], "ends_at": data["ends_at"], "location": data["location"]}


class OptionalBookingForm(BookingForm):
    """ "Boka nästa tillfälle" inside the agreement and notes forms: empty means no booking."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("closing", None)  # booked from the notes: an ordinary meeting
        self.fields["date"].required = False
        self.fields["start_time"].required = False

    def is_empty(self):
        return not any(self.data.get(self.add_prefix(name)) for name in self.fields)

    def clean(self):
        if self.is_empty():
            return {}
        cleaned = super().clean()
        for name in ("date", "start_time"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("Give both a date and a start time to book the next meeting."))
        return cleaned

    def booking(self):
        if self.is_empty():
            return None
        return super().booking()
