from .agreement import Agreement, AgreementVersion, Confidentiality
from .meeting import Comment, Meeting, MeetingStatus, ReminderItem
from .outbox import MailKind, MailStatus, OutgoingMail

__all__ = [
    "Agreement",
    "AgreementVersion",
    "Comment",
    "Confidentiality",
    "MailKind",
    "MailStatus",
    "Meeting",
    "MeetingStatus",
    "OutgoingMail",
    "ReminderItem",
]
