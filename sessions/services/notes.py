"""Notes of a follow-up meeting (Tillfälle 2 and after), and comments."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import notifications
from ..models import Comment, Meeting, MeetingStatus, ReminderItem
from ..selectors import previous_meeting
from .booking import meeting_book


class NotesConflict(Exception):
    """Someone saved these notes after this person opened them."""

    def __init__(self, current: Meeting) -> None:
        super().__init__("notes changed since they were opened")
        self.current = current


@transaction.atomic
def meeting_notes_save(
    *,
    meeting: Meeting,
    reflection: str,
    summary: str,
    base_version: int,
    ticked_item_ids: Iterable[int] = (),
    items: Iterable[tuple[int | None, str, bool]] = (),
    next_meeting: dict[str, Any] | None = None,
    user: User | None = None,
) -> Meeting:
    """Save the notes, tick off last meeting's "kom ihåg", write this meeting's
    list, mark the meeting held and book the next one: all or nothing.

    `items` is a list of (item_id or None, text, delete) from the form;
    `user` is who saves, named in the booking's e-mail.
    """
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if current.version != base_version:
        raise NotesConflict(current)
    current.reflection, current.summary = reflection, summary
    current.version += 1
    current.notes_updated_at = timezone.now()
    if current.status == MeetingStatus.BOOKED and _has_started(current):
        current.status = MeetingStatus.HELD
    current.save()
    _tick_previous_items(current, set(ticked_item_ids))
    _write_items(current, items)
    if next_meeting:
        meeting_book(mentorship=current.mentorship, changed_by=user, **next_meeting)
    return current


def _has_started(meeting: Meeting) -> bool:
    # Notes written before the meeting are preparation; the meeting stays booked.
    return meeting.starts_at is None or meeting.starts_at <= timezone.now()


def _tick_previous_items(meeting: Meeting, ticked_ids: set[int]) -> None:
    previous = previous_meeting(meeting)
    if previous is None:
        return
    for item in previous.reminder_items.all():
        done = item.pk in ticked_ids
        if item.done != done:
            ReminderItem.objects.filter(pk=item.pk).update(done=done)


def _write_items(meeting: Meeting, items: Iterable[tuple[int | None, str, bool]]) -> None:
    own: dict[int | None, ReminderItem] = {item.pk: item for item in meeting.reminder_items.all()}
    for position, (item_id, text, delete) in enumerate(items):
        item = own.get(item_id)
        if item is not None and (delete or not text):
            item.delete()
        elif item is not None:
            if (item.text, item.position) != (text, position):
                item.text, item.position = text, position
                item.save(update_fields=["text", "position"])
        elif text and not delete:
            ReminderItem.objects.create(meeting=meeting, text=text, position=position)


@transaction.atomic
def comment_add(*, meeting: Meeting, author: User, text: str) -> Comment:
    """A comment, and the other party is told (once per burst of comments)."""
    comment = Comment.objects.create(meeting=meeting, author=author, text=text)
    notifications.comment_added_notify(comment=comment)
    return comment
