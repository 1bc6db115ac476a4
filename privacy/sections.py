"""The personal data of one person, app by app: each section exports what
its app holds about the person and erases it. The export and the erasure
walk SECTIONS in order; an app that stores more about people (e.g. the
surveys) has one Section here.

Note text is read and written through the models' fields (never raw SQL),
so an encrypted field works the same.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from accounts.models import Invitation
from audit.models import AuditEntry
from audit.services import trail_forget_person
from outbox.models import MailStatus, NotificationPreferences, OutgoingMail
from programs.models import BackgroundCheck, CheckIn, Mentorship, PairImportUpload
from programs.permissions import can_read_checkin_notes
from sessions.models import AgreementVersion, Comment
from surveys.models import Answer
from surveys.models import Invitation as SurveyInvitation

from .models import ErasureRequest

# What erased free text and people become. Stored, so one language: the
# interface's default.
ERASED_TEXT = "[raderad text]"
ERASED_DOMAIN = "raderad.invalid"


def erased_name(pk: int) -> str:
    return f"Raderad person {pk}"


def erased_email(pk: int) -> str:
    return f"raderad-{pk}@{ERASED_DOMAIN}"


@dataclass
class Erasure:
    """One person's erasure under way: who, what they were called, and the
    counts of what changed (the report). `first_name` is set only within the
    person's own pairs (`within_pair`), where it can mean no one else."""

    user: Any
    name: str
    email: str
    report: dict[str, int] = field(default_factory=dict)
    first_name: str = ""

    def count(self, key: str, n: int) -> None:
        if n:
            self.report[key] = self.report.get(key, 0) + n

    @property
    def placeholder_name(self) -> str:
        return erased_name(self.user.pk)

    @property
    def placeholder_email(self) -> str:
        return erased_email(self.user.pk)

    def needles(self) -> list[str]:
        return [n for n in (self.email, self.name) if n and len(n.strip()) >= 3]

    def within_pair(self, pair: Any) -> "Erasure":
        """This erasure for the texts of one of the person's pairs: there the
        other party writes "Anna" for Anna Berg, so the first name alone goes
        too. Not where the other party has the same first name: their own
        name would go with it. The report is shared."""
        first = _first_name(self.name)
        other = pair.mentor if pair.mentee_id == self.user.pk else pair.mentee
        if first and first.casefold() == _first_name(other.name).casefold():
            first = ""
        return dataclass_replace(self, first_name=first)

    def scrub(self, text: str) -> str:
        """`text` with the person's address and name replaced by the placeholders."""
        if not text:
            return text
        if self.email:
            text = re.sub(re.escape(self.email), self.placeholder_email, text, flags=re.IGNORECASE)
        if self.name and len(self.name.strip()) >= 3:
            text = _name_out(text, self.name, self.placeholder_name, re.IGNORECASE)
        if self.first_name:
            # As written, capital first: "Bo" and "Per" are also Swedish words.
            text = _name_out(text, self.first_name, self.placeholder_name, 0)
        return text


def _first_name(name: str) -> str:
    """The first of two or more names; "" for a single name (it is the whole name)."""
    parts = name.split()
    return parts[0] if len(parts) >= 2 and len(parts[0]) >= 2 else ""


def _name_out(text: str, name: str, placeholder: str, flags: int) -> str:
    """`name` replaced by `placeholder`, its Swedish genitive too: "Annas
    förslag" becomes "Raderad person 12:s förslag", as after a number."""
    pattern = re.compile(rf"\b{re.escape(name)}(s?)\b", flags)
    return pattern.sub(lambda found: placeholder + (":s" if found.group(1) else ""), text)


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable[[Any], Any]
    erase: Callable[[Erasure], None]


def _scrub_object(erasure: Erasure, obj: Any, fields: tuple[str, ...], key: str, *, replace: bool = False) -> None:
    """Write back those of the fields whose text changes: replaced whole by
    the placeholder (`replace`, the person's own text), or with their name
    and address taken out (someone else's text about them)."""
    changed = []
    for name in fields:
        value = getattr(obj, name)
        new = (ERASED_TEXT if value and value != ERASED_TEXT else value) if replace else erasure.scrub(value)
        if new != value:
            setattr(obj, name, new)
            changed.append(name)
    if changed:
        obj.save(update_fields=changed)
        erasure.count(key, 1)


# --- account (accounts, allauth) ---------------------------------------------------


def _account_export(user: Any) -> dict[str, Any]:
    prefs = NotificationPreferences.objects.filter(user=user).first()
    return {
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_staff": user.is_staff,
        "addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "two_factor": [a.type for a in Authenticator.objects.filter(user=user)],
        "sessions": [
            {"ip": s.ip, "user_agent": s.user_agent, "created_at": s.created_at, "last_seen_at": s.last_seen_at}
            for s in UserSession.objects.filter(user=user)
        ],
        "invitations": [
            {"created_at": i.created_at, "expires_at": i.expires_at, "used_at": i.used_at}
            for i in Invitation.objects.filter(user=user)
        ],
        "notification_settings": (
            {"reminders": prefs.reminders, "nudges": prefs.nudges, "comments": prefs.comments} if prefs else None
        ),
        "erasure_requests": [
            {"requested_at": r.requested_at, "status": r.status, "message": r.message}
            for r in ErasureRequest.objects.filter(user=user)
        ],
        "programs_coordinated": [p.name for p in user.coordinated_programs.all()],
    }


def _account_erase(erasure: Erasure) -> None:
    user = erasure.user
    erasure.count("addresses", EmailAddress.objects.filter(user=user).delete()[0])
    erasure.count("two_factor", Authenticator.objects.filter(user=user).delete()[0])
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    erasure.count("user_sessions", UserSession.objects.filter(user=user).delete()[0])
    stale = [s.session_key for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]
    erasure.count("sessions", Session.objects.filter(session_key__in=[*keys, *stale]).delete()[0])
    erasure.count("invitations", Invitation.objects.filter(user=user).delete()[0])
    erasure.count("notification_settings", NotificationPreferences.objects.filter(user=user).delete()[0])
    erasure.count("programs_coordinated", user.coordinated_programs.count())
    user.coordinated_programs.clear()
    erasure.count("organisation_contacts", user.organisations.count())
    user.organisations.clear()
    for request in ErasureRequest.objects.filter(user=user).exclude(message=""):
        _scrub_object(erasure, request, ("message",), "erasure_request_messages", replace=True)
    user.name = erasure.placeholder_name
    user.email = erasure.placeholder_email
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    erasure.count("account", 1)


# --- pairs and their journals (programs, sessions) ---------------------------------

AGREEMENT_TEXT = (
    "purpose_and_goals",
    "roles",
    "communication",
    "areas",
    "confidentiality_notes",
    "meeting_arrangements",
    "costs",
    "summary",
)


def person_pairs(user: Any) -> Any:
    return (
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
        .select_related("program", "mentor", "mentee", "mentor_organisation", "mentee_organisation", "agreement")
        .prefetch_related(
            "focus_areas",
            "agreement__versions",
            "meetings__reminder_items",
            "meetings__comments__author",
            "checkins",
        )
        .order_by("created_at")
    )


def _pairs_export(user: Any) -> list[dict[str, Any]]:
    pairs = []
    for pair in person_pairs(user):
        agreement = getattr(pair, "agreement", None)
        pairs.append(
            {
                "program": pair.program.name,
                "role": pair.role_of(user),
                "mentor": {"name": pair.mentor.name, "email": pair.mentor.email},
                "mentee": {"name": pair.mentee.name, "email": pair.mentee.email},
                "mentor_organisation": pair.mentor_organisation.name if pair.mentor_organisation else None,
                "mentee_organisation": pair.mentee_organisation.name if pair.mentee_organisation else None,
                "status": pair.status,
                "starts_on": pair.starts_on,
                "ends_on": pair.ends_on,
                "focus_areas": [area.name for area in pair.focus_areas.all()],
                "agreement": (
                    {
                        **{name: getattr(agreement, name) for name in AGREEMENT_TEXT},
                        "confidentiality": agreement.confidentiality,
                        "version": agreement.version,
                        "mentee_confirmed_at": agreement.mentee_confirmed_at,
                        "mentor_confirmed_at": agreement.mentor_confirmed_at,
                        "versions": [
                            {"version": v.version, "saved_at": v.saved_at, "content": v.content}
                            for v in agreement.versions.all()
                        ],
                    }
                    if agreement
                    else None
                ),
                "meetings": [
                    {
                        "number": m.number,
                        "starts_at": m.starts_at,
                        "ends_at": m.ends_at,
                        "location": m.location,
                        "status": m.status,
                        "reflection": m.reflection,
                        "summary": m.summary,
                        "remember": [{"text": i.text, "done": i.done} for i in m.reminder_items.all()],
                        "comments": [
                            {"author": c.author.name or c.author.email, "created_at": c.created_at, "text": c.text}
                            for c in m.comments.all()
                        ],
                    }
                    for m in pair.meetings.all()
                ],
                "checkins": [
                    {"held_on": c.held_on, "with_whom": c.with_whom, "channel": c.channel, "note": c.note}
                    for c in pair.checkins.all()
                ],
            }
        )
    return pairs


def _checkins_recorded_export(user: Any) -> list[dict[str, Any]] | None:
    """The check-ins the person recorded as coordinator, with their notes
    where they coordinate the program still: their own words, but about a
    pair they are not in. None for one who recorded none, so a mentee's or
    mentor's export is as it was."""
    recorded = CheckIn.objects.filter(recorded_by=user).select_related("mentorship__program").order_by("held_on", "pk")
    rows = [
        {
            "program": c.mentorship.program.name,
            "held_on": c.held_on,
            "with_whom": c.with_whom,
            "channel": c.channel,
            "note": c.note if can_read_checkin_notes(user, c.mentorship.program_id) else None,
        }
        for c in recorded
    ]
    return rows or None


def _scrub_version(erasure: Erasure, version: AgreementVersion, *, replace: bool) -> None:
    content = dict(version.content)
    for key, value in content.items():
        if isinstance(value, str) and key != "confidentiality":
            content[key] = (ERASED_TEXT if value else value) if replace else erasure.scrub(value)
        elif isinstance(value, list):
            content[key] = [erasure.scrub(v) if isinstance(v, str) else v for v in value]
    if content != version.content:
        version.content = content
        version.save(update_fields=["content"])
        erasure.count("agreement_versions", 1)


def _pairs_erase(erasure: Erasure) -> None:
    user = erasure.user
    for pair in person_pairs(user):
        _pair_texts_erase(erasure.within_pair(pair), pair)
    # What they wrote elsewhere: comments and check-in notes (a coordinator).
    for comment in Comment.objects.filter(author=user):  # encrypted: the placeholder is skipped in Python
        _scrub_object(erasure, comment, ("text",), "comments", replace=True)
    for checkin in CheckIn.objects.filter(recorded_by=user).exclude(note=""):
        _scrub_object(erasure, checkin, ("note",), "checkins", replace=True)
    # CSV files of pairs between preview and import name people.
    needles = [n.encode(enc, "ignore").lower() for n in erasure.needles() for enc in ("utf-8", "cp1252")]
    doomed = [
        u.pk
        for u in PairImportUpload.objects.all()
        if u.uploaded_by_id == user.pk or any(n in bytes(u.data).lower() for n in needles)
    ]
    erasure.count("pair_import_uploads", PairImportUpload.objects.filter(pk__in=doomed).delete()[0])


def _pair_texts_erase(erasure: Erasure, pair: Mentorship) -> None:
    """The person's own words in one of their pairs replaced, and their name
    taken out of the other party's and the coordinators'."""
    user = erasure.user
    own = pair.mentee_id == user.pk  # the mentee writes the agreement, the notes and "kom ihåg"
    agreement = getattr(pair, "agreement", None)
    if agreement is not None:
        _scrub_object(erasure, agreement, AGREEMENT_TEXT, "agreements", replace=own)
        for version in agreement.versions.all():
            _scrub_version(erasure, version, replace=own or version.saved_by_id == user.pk)
    for meeting in pair.meetings.all():
        _scrub_object(erasure, meeting, ("reflection", "summary"), "meeting_notes", replace=own)
        _scrub_object(erasure, meeting, ("location",), "meeting_places")
        for item in meeting.reminder_items.all():
            _scrub_object(erasure, item, ("text",), "remember_items", replace=own)
        for comment in meeting.comments.all():
            _scrub_object(erasure, comment, ("text",), "comments", replace=comment.author_id == user.pk)
    for checkin in pair.checkins.all():
        _scrub_object(erasure, checkin, ("note",), "checkins")


# --- e-mail (outbox) ----------------------------------------------------------------


def person_mail(user: Any) -> Any:
    return OutgoingMail.objects.filter(Q(recipient=user) | Q(to_address__iexact=user.email))


def _mail_export(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "kind": row.kind,
            "to": row.address,
            "status": row.status,
            "due_at": row.due_at,
            "sent_at": row.sent_at,
        }
        for row in person_mail(user).select_related("recipient").order_by("created_at")
    ]


def _mail_erase(erasure: Erasure) -> None:
    user = erasure.user
    rows = OutgoingMail.objects.filter(Q(recipient=user) | Q(to_address__iexact=erasure.email))
    erasure.count(
        "mail_cancelled",
        rows.filter(status__in=[MailStatus.PENDING, MailStatus.SENDING]).update(status=MailStatus.CANCELLED),
    )
    scrubbed = rows.exclude(to_address="", context={}, secrets=None, last_error="")
    erasure.count("mail_scrubbed", scrubbed.update(to_address="", context={}, secrets=None, last_error=""))
    # Others' e-mail that names them (an error message, a kept context).
    for needle in erasure.needles():
        mentions = OutgoingMail.objects.annotate(text=Cast("context", TextField())).filter(
            Q(text__icontains=needle) | Q(last_error__icontains=needle)
        )
        for row in mentions:
            row.context = {}
            row.last_error = erasure.scrub(row.last_error)
            row.save(update_fields=["context", "last_error"])
            erasure.count("mail_scrubbed", 1)


# --- the admin's history -------------------------------------------------------------


def _admin_log_erase(erasure: Erasure) -> None:
    query = Q()
    for needle in erasure.needles():
        query |= Q(object_repr__icontains=needle) | Q(change_message__icontains=needle)
    if not query:
        return
    for entry in LogEntry.objects.filter(query):
        _scrub_object(erasure, entry, ("object_repr", "change_message"), "admin_history")


# --- survey answers (surveys) --------------------------------------------------------
#
# A named survey's answer is tied to its person and is theirs: exported, and
# its free text erased. An anonymous answer is tied to nobody, so it is
# neither exported nor touched: its numbers stay in the program's results.


def _named_answers(user: Any) -> Any:
    return Answer.objects.filter(invitation__person=user).select_related("survey__program", "invitation")


def _surveys_export(user: Any) -> dict[str, Any]:
    return {
        "asked": [
            {
                "survey": i.survey.get_kind_display(),
                "program": i.survey.program.name,
                "asked_at": i.opens_at,
                "closes_at": i.closes_at,
                "answered": i.answered,
            }
            for i in SurveyInvitation.objects.filter(person=user).select_related("survey__program")
        ],
        "named_answers": [
            {
                "survey": a.survey.get_kind_display(),
                "program": a.survey.program.name,
                "value": a.value,
                "frequency": a.frequency,
                "best": a.best,
                "better": a.better,
                "recommend": a.recommend,
                "own_questions": a.extra,
            }
            for a in _named_answers(user)
        ],
    }


def answer_text_erase(erasure: Erasure, answer: Any) -> None:
    """The free text of a named answer becomes the placeholder; its numbers stay."""
    extra = {key: (ERASED_TEXT if isinstance(value, str) and value else value) for key, value in answer.extra.items()}
    if extra != answer.extra:
        answer.extra = extra
        answer.save(update_fields=["extra"])
        erasure.count("survey_answers", 1)
    _scrub_object(erasure, answer, ("best", "better"), "survey_answers", replace=True)


def _surveys_erase(erasure: Erasure) -> None:
    for answer in _named_answers(erasure.user):
        answer_text_erase(erasure, answer)


# --- the audit trail (audit) and background checks --------------------------------------


def _audit_export(user: Any) -> list[dict[str, Any]]:
    return [
        {"at": e.timestamp, "action": e.get_action_display(), "about": e.object_repr}
        for e in AuditEntry.objects.filter(actor=user).order_by("timestamp")
    ]


def _audit_erase(erasure: Erasure) -> None:
    # The record of their extract goes (its deletion is an entry too, so first);
    # then their name and address leave every entry, the account's own
    # anonymising among them (so this runs after the account section).
    erasure.count("background_checks", BackgroundCheck.objects.filter(person=erasure.user).delete()[0])
    erasure.count(
        "audit_trail",
        trail_forget_person(name=erasure.name, email=erasure.email, placeholder=erasure.placeholder_name),
    )


SECTIONS: list[Section] = [
    Section("pairs", export=_pairs_export, erase=_pairs_erase),
    # Their notes are erased with the pairs' texts (_pairs_erase), where
    # everything a person wrote about a pair is.
    Section("checkins_recorded", export=_checkins_recorded_export, erase=lambda erasure: None),
    Section("surveys", export=_surveys_export, erase=_surveys_erase),
    Section("mail", export=_mail_export, erase=_mail_erase),
    Section("admin_history", export=lambda user: None, erase=_admin_log_erase),
    # Last: the account's name and address are what the sections above look for.
    Section("account", export=_account_export, erase=_account_erase),
    Section("audit", export=_audit_export, erase=_audit_erase),
]
