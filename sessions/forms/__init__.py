from .agreement import AgreementForm
from .booking import BookingForm, OptionalBookingForm
from .notes import CommentForm, NotesForm, reminder_item_formset

__all__ = ["AgreementForm", "BookingForm", "CommentForm", "NotesForm", "OptionalBookingForm", "reminder_item_formset"]
