from .agreement import Agreement, AgreementVersion, Confidentiality
from .meeting import Comment, Meeting, MeetingStatus, ReminderItem
from .outbox import MailKind, MailStatus, OutgoingMail
from .preferences import NotificationPreferences

__all__ = [
    "Agreement",
    "AgreementVersion",
    "Comment",
    "Confidentiality",
    "MailKind",
    "MailStatus",
    "Meeting",
    "MeetingStatus",
    "NotificationPreferences",
    "OutgoingMail",
    "ReminderItem",
]
