"""Who may see and do what with a mentorship: the one place for these rules.

Views, templates and the admin ask here; none repeats a rule. Anything a
person may not see is reported by the caller as a 404, never a 403.
"""

from django.db.models import Q

from .models import Mentorship, Program


def is_party(user, mentorship):
    return user.is_authenticated and user.pk in (mentorship.mentor_id, mentorship.mentee_id)


def coordinates(user, program_id):
    """True if the user coordinates the program (superusers coordinate all)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return program_id in coordinated_program_ids(user)


def coordinated_program_ids(user):
    """The ids of the programs the user coordinates, cached on the user object.
    Read from the link table alone: through the programs it would join them
    and sort by their default ordering, for ids only."""
    cached = getattr(user, "_coordinated_program_ids", None)
    if cached is None:
        links = Program.coordinators.through.objects.filter(user_id=user.pk)
        cached = frozenset(links.values_list("program_id", flat=True)) if user.is_authenticated else frozenset()
        user._coordinated_program_ids = cached
    return cached


def can_read_checkin_notes(user, program_id):
    """A check-in's note is for the program's coordinators now: one who has
    left the program reads the check-ins they recorded there (date, with
    whom, how) but no longer the note, which is about the pair."""
    return coordinates(user, program_id)


def is_coordinator(user):
    return user.is_authenticated and user.is_active and (user.is_superuser or bool(coordinated_program_ids(user)))


def can_view_mentorship(user, mentorship):
    """Parties see their own pair; coordinators see the pairs of their programs."""
    return is_party(user, mentorship) or coordinates(user, mentorship.program_id)


# The confidentiality levels (sessions.models.Confidentiality) at which a
# coordinator may read the agreement, and the meeting notes.
AGREEMENT_SHARED = ("agreement", "open")
NOTES_SHARED = ("open",)
# The levels from the one that shares least to the one that shares most.
LEVELS_BY_OPENNESS = ("private", "agreement", "open")


def _openness(level):
    # An unknown level (an old or damaged row) counts as the strictest.
    return LEVELS_BY_OPENNESS.index(level) if level in LEVELS_BY_OPENNESS else 0


def confidentiality_in_force(*, in_force, chosen, confirmed_by_both):
    """The level a coordinator reads by, after the pair chose `chosen`.

    One party's word never opens more: a level that shares more takes effect
    only once both have confirmed it. A level that shares less protects the
    pair, so it takes effect at once, on either party's word.
    """
    if confirmed_by_both or _openness(chosen) <= _openness(in_force):
        return chosen
    return in_force


def _shared(user, mentorship, level, shared_at):
    """Parties read everything; a coordinator reads what the level shares."""
    if is_party(user, mentorship):
        return True
    return coordinates(user, mentorship.program_id) and level in shared_at


def _level(agreement):
    # The level in force, not the one chosen: a raised level that only one
    # party has confirmed opens nothing yet.
    return agreement.shared_confidentiality if agreement is not None else None


def can_read_agreement(user, mentorship, agreement):
    return _shared(user, mentorship, _level(agreement), AGREEMENT_SHARED)


def can_read_notes(user, mentorship, agreement):
    """Meeting notes stay between the two parties unless the pair opened them."""
    return _shared(user, mentorship, _level(agreement), NOTES_SHARED)


def _version_level(agreement, content):
    """An old version is read at the level it was saved with, and never at
    more than the level in force now: text saved while the pair kept it
    private stays private after they open the agreement, and a version whose
    raised level was never confirmed by both opens nothing."""
    saved = content.get("confidentiality")
    in_force = _level(agreement)
    return saved if _openness(saved) <= _openness(in_force) else in_force


def can_read_agreement_version(user, mentorship, agreement, content):
    return _shared(user, mentorship, _version_level(agreement, content), AGREEMENT_SHARED)


def can_read_version_notes(user, mentorship, agreement, content):
    """Meeting 1's summary in an old version: note text, read like the notes."""
    return _shared(user, mentorship, _version_level(agreement, content), NOTES_SHARED)


def reads_in_oversight(user, mentorship):
    """A coordinator or superuser, not one of the pair, looking at the pair's
    journal: what they are shown of its note text goes in the audit trail."""
    return not is_party(user, mentorship) and coordinates(user, mentorship.program_id)


def can_write_journal(user, mentorship):
    """The mentee drives the mentorship: writes the agreement and the notes."""
    return user.is_authenticated and user.pk == mentorship.mentee_id and not mentorship.is_closed


def can_confirm_agreement(user, mentorship):
    return is_party(user, mentorship) and not mentorship.is_closed


def can_book(user, mentorship):
    return is_party(user, mentorship) and not mentorship.is_closed


def can_comment(user, mentorship):
    return is_party(user, mentorship) and not mentorship.is_closed


def own_mentorships(user):
    """The mentorships the user is a party of."""
    if not (user.is_authenticated and user.is_active):
        return Mentorship.objects.none()
    return Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
