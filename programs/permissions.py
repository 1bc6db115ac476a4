"""Who may see and do what with a mentorship: the one place for these rules.

Views, templates and the admin ask here; none repeats a rule. Anything a
person may not see is reported by the caller as a 404, never a 403.
"""

from django.db.models import Q

from .models import Mentorship


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
    """The ids of the programs the user coordinates, cached on the user object."""
    cached = getattr(user, "_coordinated_program_ids", None)
    if cached is None:
        cached = (
            frozenset(user.coordinated_programs.values_list("id", flat=True)) if user.is_authenticated else frozenset()
        )
        user._coordinated_program_ids = cached
    return cached


def is_coordinator(user):
    return user.is_authenticated and user.is_active and (user.is_superuser or bool(coordinated_program_ids(user)))


def can_view_mentorship(user, mentorship):
    """Parties see their own pair; coordinators see the pairs of their programs."""
    return is_party(user, mentorship) or coordinates(user, mentorship.program_id)


# The confidentiality levels (sessions.models.Confidentiality) at which a
# coordinator may read the agreement, and the meeting notes.
AGREEMENT_SHARED = ("agreement", "open")
NOTES_SHARED = ("open",)


def _shared(user, mentorship, level, shared_at):
    """Parties read everything; a coordinator reads what the level shares."""
    if is_party(user, mentorship):
        return True
    return coordinates(user, mentorship.program_id) and level in shared_at


def _level(agreement):
    return agreement.confidentiality if agreement is not None else None


def can_read_agreement(user, mentorship, agreement):
    return _shared(user, mentorship, _level(agreement), AGREEMENT_SHARED)


def can_read_notes(user, mentorship, agreement):
    """Meeting notes stay between the two parties unless the pair opened them."""
    return _shared(user, mentorship, _level(agreement), NOTES_SHARED)


def can_read_agreement_version(user, mentorship, content):
    """An old version is read at the level it was saved with: text saved while
    the pair kept it private stays private after they open the agreement."""
    return _shared(user, mentorship, content.get("confidentiality"), AGREEMENT_SHARED)


def can_read_version_notes(user, mentorship, content):
    """Meeting 1's summary in an old version: note text, read like the notes."""
    return _shared(user, mentorship, content.get("confidentiality"), NOTES_SHARED)


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
