"""The program page's table of pairs, worded once in Python: each row is a
dict of finished strings, so the template only places them. Looked up
through the template engine, 50 rows of model attributes (each lookup tries
a dict first and fails with an exception) cost about 10 ms a page."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mentorskap.links import url_for_each

from .models import Mentorship, MentorshipStatus

STALL_LABELS = {
    "no_agreement": gettext_noop("No agreement yet"),
    "no_meeting": gettext_noop("No meeting for a long time"),
}


def table_rows(pairs: list[Mentorship]) -> list[dict[str, Any]]:
    """The rows for `pairs` as `programs.overview.pairs_page` describes them."""
    words = {
        "statuses": {value: str(label) for value, label in MentorshipStatus.choices},
        "months": {number: str(name) for number, name in MONTHS.items()},
        "url": url_for_each("program_pair"),
    }
    return [_row(pair, words) for pair in pairs]


def _row(pair: Mentorship, words: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": words["url"](pair.public_id),
        "mentee": pair.mentee.display_name,
        "mentee_organisation": pair.mentee_organisation.name if pair.mentee_organisation else "",
        "mentee_state": str(pair.mentee_state.label),  # type: ignore[attr-defined]  # set by pairs_page
        "mentor": pair.mentor.display_name,
        "mentor_organisation": pair.mentor_organisation.name if pair.mentor_organisation else "",
        "mentor_state": str(pair.mentor_state.label),  # type: ignore[attr-defined]
        "status": words["statuses"].get(pair.status, pair.status),
        "agreement": agreement_state(pair),
        "held": pair.meetings_held,  # type: ignore[attr-defined]  # annotated
        "last": _day(pair.last_at, words["months"]),  # type: ignore[attr-defined]
        "next": _day_and_time(pair.next_at, words["months"]),  # type: ignore[attr-defined]
        "attention": attention_labels(pair),
    }


def agreement_state(pair: Mentorship) -> str:
    agreement = getattr(pair, "agreement", None)
    if agreement is not None and agreement.is_confirmed:
        return _("Confirmed")
    if agreement is not None and agreement.is_started:
        return _("Written, not confirmed")
    return _("Not written")


def attention_labels(pair: Mentorship) -> list[str]:
    """What the coordinator should look at, in words; empty when nothing.
    The page's column and the exports' say the same."""
    labels = []
    if pair.stall in STALL_LABELS:  # type: ignore[attr-defined]
        labels.append(_(STALL_LABELS[pair.stall]))  # type: ignore[attr-defined]
    if pair.checkin_overdue:  # type: ignore[attr-defined]
        labels.append(_("Check-in due"))
    return labels


def _day(value: datetime | None, months: dict[int, str]) -> str:
    """As the template's `date:"j F Y"` writes it, in local time ("3 december
    2026"), or "–": Django's date_format costs ~50 µs a call, 100 a page."""
    if value is None:
        return "–"
    local = timezone.localtime(value)
    return f"{local.day} {months[local.month]} {local.year}"


def _day_and_time(value: datetime | None, months: dict[int, str]) -> str:
    """As `date:"j F Y H:i"`: "3 december 2026 14:05", or "–"."""
    if value is None:
        return "–"
    local = timezone.localtime(value)
    return f"{_day(local, months)} {local:%H:%M}"
