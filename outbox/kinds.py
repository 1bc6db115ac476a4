"""The kinds of e-mail: one entry each, declared by the app whose domain it
speaks of (its `mail_kinds.py`, imported by its AppConfig.ready).

The outbox knows no domain: for a row it asks the row's kind which
preference governs it, what its templates are given, whether it still
applies at sending time and what it carries attached.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.mime.base import MIMEBase
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import OutgoingMail

# The preference groups (NotificationPreferences has a switch for each but
# ALWAYS): booking changes always go out, a missed one is a missed meeting.
ALWAYS = "always"
REMINDERS = "reminders"
NUDGES = "nudges"
COMMENTS = "comments"
GROUPS = (ALWAYS, REMINDERS, NUDGES, COMMENTS)

Context = dict[str, Any]
# (status, reason) when a row must not be sent now; None to send it.
Skip = tuple[str, str] | None


@dataclass(frozen=True)
class MailKind:
    name: str
    label: Any  # a lazy translation
    group: str = ALWAYS
    #: extra template context: (row, context so far) -> dict
    context: Callable[["OutgoingMail", Context], Context] | None = None
    #: checks at sending time, in order: (row, now) -> Skip
    checks: tuple[Callable[..., Skip], ...] = ()
    #: MIME parts to attach: (row, context) -> list
    attachments: Callable[["OutgoingMail", Context], list[MIMEBase]] | None = None
    #: relations the dispatcher loads with the row (select_related)
    relations: tuple[str, ...] = ()
    #: where subject.txt, body.txt and body.html are; emails/<name>/ if None
    template_dir: str | None = None


_registry: dict[str, MailKind] = {}


def register(choice: Any, **spec: Any) -> MailKind:
    """Declare a kind; `choice` is a member of the app's TextChoices of its
    kinds (its value names the kind and its templates, its label is shown)."""
    name = str(choice.value if hasattr(choice, "value") else choice)
    if name in _registry:
        raise ValueError(f"mail kind {name!r} is declared twice")
    if spec.get("group", ALWAYS) not in GROUPS:
        raise ValueError(f"mail kind {name!r}: unknown preference group {spec['group']!r}")
    kind = MailKind(name=name, label=getattr(choice, "label", name), **spec)
    _registry[name] = kind
    return kind


def kind_of(name: str) -> MailKind:
    """The kind named; a KeyError for a name no app declares."""
    return _registry[name]


def all_kinds() -> Iterable[MailKind]:
    return _registry.values()


def choices() -> list[tuple[str, Any]]:
    """For the model field: every declared kind and its label."""
    return [(kind.name, kind.label) for kind in sorted(all_kinds(), key=lambda k: k.name)]


def relations() -> list[str]:
    """Every relation some kind wants loaded with its rows."""
    return sorted({relation for kind in _registry.values() for relation in kind.relations})
