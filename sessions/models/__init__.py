from programs.models import MeetingStatus

from .agreement import Agreement, AgreementVersion, Confidentiality
from .meeting import Comment, Meeting, ReminderItem

__all__ = [
    "Agreement",
    "AgreementVersion",
    "Comment",
    "Confidentiality",
    "Meeting",
    "MeetingStatus",
    "ReminderItem",
]
