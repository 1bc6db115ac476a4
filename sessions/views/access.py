"""Loading what a URL names, through the one permission rule.

What a person may not see is a 404 (never a 403 that confirms it exists).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.security import log_refused_access
from programs import permissions

from ..selectors import agreement_of, meeting_for_page, mentorship_for_page


def refuse(request, what):
    log_refused_access(request, what)
    raise Http404


def mentorship_or_404(request, public_id):
    mentorship = mentorship_for_page(public_id)
    if mentorship is None or not permissions.can_view_mentorship(request.user, mentorship):
        refuse(request, f"mentorship {public_id}")
    return mentorship


def meeting_or_404(request, public_id):
    meeting = meeting_for_page(public_id)
    if meeting is None or not permissions.can_view_mentorship(request.user, meeting.mentorship):
        refuse(request, f"meeting {public_id}")
    return meeting


def require(allowed, request, what):
    """A visible pair, an action this person may not take: 403 with a reason."""
    if not allowed:
        log_refused_access(request, f"action {what}")
        raise PermissionDenied(_("You cannot do this in this mentorship."))


def abilities(user, mentorship):
    """What the templates may offer this person."""
    agreement = agreement_of(mentorship)
    return {
        "role": mentorship.role_of(user),
        "can_write": permissions.can_write_journal(user, mentorship),
        "can_book": permissions.can_book(user, mentorship),
        "can_comment": permissions.can_comment(user, mentorship),
        "can_confirm": permissions.can_confirm_agreement(user, mentorship),
        "can_read_agreement": permissions.can_read_agreement(user, mentorship, agreement),
        "can_read_notes": permissions.can_read_notes(user, mentorship, agreement),
    }
