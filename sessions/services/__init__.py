"""Everything that writes the journal: agreement, notes, bookings, comments."""

from .agreement import AgreementConflict, AgreementIncomplete, agreement_confirm, agreement_save
from .booking import meeting_book, meeting_cancel, meeting_change, meeting_move
from .notes import NotesConflict, comment_add, meeting_notes_save

__all__ = [
    "AgreementConflict",
    "AgreementIncomplete",
    "NotesConflict",
    "agreement_confirm",
    "agreement_save",
    "comment_add",
    "meeting_book",
    "meeting_cancel",
    "meeting_change",
    "meeting_move",
    "meeting_notes_save",
]
