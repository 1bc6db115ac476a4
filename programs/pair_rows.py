"""The program page's table of pairs, worded once in Python: each row is a
dict of finished strings, so the template only places them. Looked up
through the template engine, 50 rows of model attributes (each lookup tries
a dict first and fails with an exception) cost about 10 ms a page."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import Mentorship, MentorshipStatus

STALL_LABELS = {
    "no_agreement": gettext_noop("No agreement yet"),
    "no_meeting": gettext_noop("No meeting for a long time"),
}


def pair_rows(pairs: list[Mentorship]) -> list[dict[str, Any]]:
    """The rows for `pairs` as `programs.overview.pairs_page` describes them."""
    statuses = {value: str(label) for value, label in MentorshipStatus.choices}
    return [_row(pair, statuses) for pair in pairs]


def _row(pair: Mentorship, statuses: dict[str, str]) -> dict[str, Any]:
    return {
        "url": reverse("program_pair", args=[pair.public_id]),
        "mentee": pair.mentee.display_name,
        "mentee_organisation": pair.mentee_organisation.name if pair.mentee_organisation else "",
        "mentee_state": str(pair.mentee_state.label),  # type: ignore[attr-defined]  # set by pairs_page
        "mentor": pair.mentor.display_name,
        "mentor_organisation": pair.mentor_organisation.name if pair.mentor_organisation else "",
        "mentor_state": str(pair.mentor_state.label),  # type: ignore[attr-defined]
        "status": statuses.get(pair.status, pair.status),
        "agreement": _agreement(pair),
        "held": pair.meetings_held,  # type: ignore[attr-defined]  # annotated
        "last": _when(pair.last_at, "j F Y"),  # type: ignore[attr-defined]
        "next": _when(pair.next_at, "j F Y H:i"),  # type: ignore[attr-defined]
        "attention": _attention(pair),
    }


def _agreement(pair: Mentorship) -> str:
    agreement = getattr(pair, "agreement", None)
    if agreement is not None and agreement.is_confirmed:
        return _("Confirmed")
    if agreement is not None and agreement.is_started:
        return _("Written, not confirmed")
    return _("Not written")


def _attention(pair: Mentorship) -> list[str]:
    """What the coordinator should look at, in words; empty when nothing."""
    labels = []
    if pair.stall in STALL_LABELS:  # type: ignore[attr-defined]
        labels.append(_(STALL_LABELS[pair.stall]))  # type: ignore[attr-defined]
    if pair.checkin_overdue:  # type: ignore[attr-defined]
        labels.append(_("Check-in due"))
    return labels


def _when(value: Any, format: str) -> str:
    """As the template's `date` filter writes it: in local time, or "–"."""
    return date_format(timezone.localtime(value), format) if value else "–"
