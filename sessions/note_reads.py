"""Every time a coordinator or superuser is shown note text of a pair (where
the pair's level of confidentiality lets them), the audit trail records who,
what kind of text, of which pair, on which page: never the text. The pair's
own reads are not recorded. One entry per page shown (one INSERT)."""

from audit.services import note_read_record
from programs import permissions


def record_note_reads(request, instance, *, agreement=False, notes=False, version=False, page):
    """`instance` is what the page shows (a pair, a meeting, an agreement or
    a version); `agreement`, `notes` and `version` whether the page showed
    that kind of text to this person."""
    mentorship = instance if hasattr(instance, "mentee_id") else _pair_of(instance)
    read = [kind for kind, shown in (("agreement", agreement), ("notes", notes), ("version", version)) if shown]
    if read and permissions.reads_in_oversight(request.user, mentorship):
        note_read_record(reader=request.user, instance=instance, read=read, page=page)


def _pair_of(instance):
    if hasattr(instance, "agreement") and hasattr(instance, "content"):  # an agreement version
        return instance.agreement.mentorship
    return instance.mentorship


def journal_shown(context):
    """What of the note text the mentorship page and the print view show,
    from their context: the agreement where it is readable and written, and
    the notes (meeting notes, comments, kom-ihåg, meeting 1's summary) where
    they are readable and there are any."""
    agreement = context.get("agreement")
    has_agreement = agreement is not None and agreement.is_started
    return {
        "agreement": context["can_read_agreement"] and has_agreement,
        "notes": context["can_read_notes"] and bool(context.get("meetings") or has_agreement),
    }
