"""Everything that writes programs, people and pairs."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.services import invitation_create, is_registered
from audit.services import change_record
from mentorskap.localtime import local_date
from outbox.enqueue import dispatch_after_commit, mail_enqueue

from .background_checks import background_check_missing
from .figures import figures_reset, program_figures_changed
from .mail_kinds import ProgramMail
from .models import BackgroundCheck, CheckIn, EndReason, FocusArea, Mentorship, MentorshipStatus, Organisation, Program
from .selectors import journal_started_ids
from .validators import end_date_after_program, open_pair_end_date_passed


def person_get_or_create(*, email: str, name: str = "") -> tuple[User, bool]:
    """The user with this e-mail, created (without a password) if new.

    Returns (user, created). A name is filled in only where none was known,
    so an import never overwrites what a person wrote themselves.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        try:
            return _person_create(email=email, name=name), True
        except IntegrityError:
            # Someone added the same address a moment ago: use theirs.
            user = User.objects.get(email__iexact=email)
    if name and not user.name:
        user.name = name.strip()
        user.save(update_fields=["name"])
    return user, False


def _person_create(*, email: str, name: str) -> User:
    user = get_user_model()(email=email, name=name.strip())
    user.set_unusable_password()
    with transaction.atomic():  # a savepoint, so a clash leaves the caller's transaction usable
        user.save()
    return user


def mentorship_lock(mentorship_id: int) -> None:
    """Hold the pair's row until the transaction ends. Booking a meeting,
    the first save of the agreement and a change of the pair's people in the
    admin all take it, so they happen one after the other. Only this row: the
    model's default ordering joins the program, whose row would be held too
    and make lock orders cross. Raises Mentorship.DoesNotExist when the pair
    has been deleted meanwhile. A no-op on SQLite (one writer at a time)."""
    if not list(Mentorship.objects.select_for_update().filter(pk=mentorship_id).order_by().values_list("pk")):
        # Deleted while we waited for it: writing on would fail at commit.
        raise Mentorship.DoesNotExist("the pair has been deleted")


def programs_lock_for_new_pairs(program_ids: Iterable[int]) -> None:
    """Hold the programs' rows until the transaction ends, so that two people
    adding the same pair at the same instant are serialised: the second one's
    duplicate check then sees the first one's pair and gets a message instead
    of a server error from the unique constraint. Must run in a transaction;
    a no-op on SQLite, which has one writer at a time anyway."""
    list(Program.objects.select_for_update().filter(pk__in=program_ids).order_by("pk").values_list("pk"))


@transaction.atomic
def mentorship_create(
    *,
    program: Program,
    mentor: User,
    mentee: User,
    mentor_organisation: Organisation | None = None,
    mentee_organisation: Organisation | None = None,
    focus_areas: Iterable[FocusArea] = (),
    starts_on: date | None = None,
    status: str = MentorshipStatus.INVITED,
    notify: bool = True,
) -> Mentorship:
    """Create a pair and, after commit, tell both people about it."""
    mentorship = Mentorship(
        program=program,
        mentor=mentor,
        mentee=mentee,
        mentor_organisation=mentor_organisation,
        mentee_organisation=mentee_organisation,
        starts_on=starts_on,
        status=status,
    )
    mentorship.full_clean()
    mentorship.save()
    if focus_areas:
        mentorship.focus_areas.set(focus_areas)
    if notify:
        mentorship_announce(mentorship=mentorship)
    return mentorship


@transaction.atomic
def mentorship_announce(*, mentorship: Mentorship, people: Iterable[User] | None = None) -> None:
    """Invite each new person of the pair; tell those already registered.

    `people` limits this to some of the pair (one put in place of another);
    by default both are told."""
    for user in people if people is not None else (mentorship.mentee, mentorship.mentor):
        if is_registered(user):
            mail_enqueue(recipient=user, kind=ProgramMail.PAIR_NOTICE, mentorship=mentorship)
            dispatch_after_commit()
        else:
            invitation_create(user=user, mentorship=mentorship)


def mentorship_activate(mentorship: Mentorship) -> None:
    """A pair that starts meeting is active (no longer just invited), unless
    its program requires an extract from the police's register that its
    mentor has not shown (programs.background_checks): it then stays invited
    until one is recorded, and the journal goes on meanwhile."""
    if mentorship.status == MentorshipStatus.INVITED and background_check_missing(mentorship) is None:
        if Mentorship.objects.filter(pk=mentorship.pk, status=MentorshipStatus.INVITED).update(
            status=MentorshipStatus.ACTIVE
        ):
            # An update sends no signal: the audit trail is told here.
            change_record(instance=mentorship, changes={"status": [MentorshipStatus.INVITED, MentorshipStatus.ACTIVE]})
        mentorship.status = MentorshipStatus.ACTIVE
        program_figures_changed([mentorship.program_id])


def mentorships_end_when_due(*, today: date) -> int:
    """Pairs whose end date, or their program's, has passed are ended: from
    then on they are read-only and get no reminders or nudges. Returns how
    many were ended. Run by the hourly scan, so an end date set in the past
    takes effect within the hour."""
    due = Q(ends_on__lt=today) | Q(program__ends_on__lt=today)
    open_pairs = Mentorship.objects.filter(status__in=[MentorshipStatus.INVITED, MentorshipStatus.ACTIVE])
    # The agreed time is over: the same fields as mentorship_end writes, in
    # one UPDATE (an end proposed meanwhile is overtaken by the date).
    ended = open_pairs.filter(due).update(
        status=MentorshipStatus.ENDED,
        end_reason=EndReason.TIME_OVER,
        end_proposed_by=None,
        end_proposed_at=None,
    )
    if ended:  # seldom: every program's figures afresh, rather than a query each hour
        figures_reset()
    return ended


# --- ending a mentorship (issue 11) -------------------------------------------
#
# One party proposes with a reason, the other confirms (or declines, or the
# proposer withdraws); a coordinator may end a pair at once. Every way a pair
# ends by someone's hand goes through mentorship_end, under the pair's row
# lock, so two people acting at the same moment end it once and write one
# e-mail. Pending e-mail about the pair is cancelled at sending time by the
# kinds' pair_ended check (programs.mail_kinds), as for any closed pair.


class EndRefused(Exception):
    """What the person asked cannot be done now; the message says why."""


def _locked(mentorship: Mentorship) -> Mentorship:
    mentorship_lock(mentorship.pk)
    return Mentorship.objects.select_related("program", "mentor", "mentee").get(pk=mentorship.pk)


def _mail(pair: Mentorship, recipient: User, kind: str, **context: object) -> None:
    mail_enqueue(recipient=recipient, kind=kind, mentorship=pair, context=context)
    dispatch_after_commit()


@transaction.atomic
def mentorship_end_propose(*, mentorship: Mentorship, by: User, reason: str, note: str = "") -> Mentorship:
    """`by`, a party, proposes to end the pair; the other party is asked to
    confirm. When the other has proposed already, both want to end it: this
    confirms theirs (two proposals at the same moment end the pair once)."""
    pair = _locked(mentorship)
    if by.pk not in (pair.mentor_id, pair.mentee_id):
        raise EndRefused(_("Only the mentor and the mentee can propose to end the mentorship."))
    if pair.is_closed:
        raise EndRefused(_("The mentorship has already ended."))
    if reason not in EndReason.values or reason == EndReason.DISCONTINUED:
        raise EndRefused(_("Choose a reason."))
    if pair.end_proposed_by_id not in (None, by.pk):
        return mentorship_end_confirm(mentorship=pair, by=by)
    first = pair.end_proposed_by_id is None
    pair.end_proposed_by, pair.end_proposed_at = by, timezone.now()
    pair.end_reason, pair.end_note = reason, note.strip()[:300]
    pair.save(update_fields=["end_proposed_by", "end_proposed_at", "end_reason", "end_note"])
    if first:  # a changed reason is not news worth a second e-mail
        _mail(pair, pair.other_party(by), ProgramMail.END_PROPOSED, by=by.pk)
    return pair


@transaction.atomic
def mentorship_end_withdraw(*, mentorship: Mentorship, by: User) -> Mentorship:
    """The proposer takes the proposal back, or the other party declines it:
    the pair goes on, and the other one hears of it."""
    pair = _locked(mentorship)
    if by.pk not in (pair.mentor_id, pair.mentee_id):
        raise EndRefused(_("Only the mentor and the mentee can answer a proposal to end the mentorship."))
    if pair.is_closed:
        raise EndRefused(_("The mentorship has already ended."))
    if pair.end_proposed_by_id is None:
        return pair  # withdrawn already (a second tab): nothing to do, nothing to say
    declined = pair.end_proposed_by_id != by.pk
    pair.end_proposed_by = pair.end_proposed_at = None
    pair.end_reason, pair.end_note = "", ""
    pair.save(update_fields=["end_proposed_by", "end_proposed_at", "end_reason", "end_note"])
    _mail(pair, pair.other_party(by), ProgramMail.END_WITHDRAWN, by=by.pk, declined=declined)
    return pair


@transaction.atomic
def mentorship_end_confirm(*, mentorship: Mentorship, by: User) -> Mentorship:
    """The other party confirms the proposed end: the pair ends today."""
    pair = _locked(mentorship)
    if pair.is_closed:
        return pair  # confirmed a moment ago (two tabs, or both at once): ended once
    if pair.end_proposed_by_id is None:
        raise EndRefused(_("There is no proposal to end the mentorship to confirm."))
    if by.pk not in (pair.mentor_id, pair.mentee_id) or by.pk == pair.end_proposed_by_id:
        raise EndRefused(_("The other party confirms the end of the mentorship."))
    return mentorship_end(mentorship=pair, by=by, reason=pair.end_reason, note=pair.end_note)


@transaction.atomic
def mentorship_end(*, mentorship: Mentorship, by: User, reason: str, note: str = "") -> Mentorship:
    """End the pair today, with a reason: the one way a pair is ended by
    someone's hand (a party's confirmation, the coordinator, the admin). The
    people of the pair who did not do it are told. Returns the pair; a pair
    that has ended already is returned as it is."""
    pair = _locked(mentorship)
    if pair.is_closed:
        return pair
    if reason not in EndReason.values:
        raise EndRefused(_("Choose a reason."))
    today = local_date(timezone.now())
    pair.status = MentorshipStatus.ENDED
    pair.ends_on = max(today, pair.starts_on) if pair.starts_on else today
    pair.end_reason, pair.end_note, pair.ended_by = reason, note.strip()[:300], by
    pair.save(update_fields=["status", "ends_on", "end_reason", "end_note", "ended_by"])
    for person in (pair.mentee, pair.mentor):
        if person.pk != by.pk:
            _mail(pair, person, ProgramMail.ENDED, by=by.pk)
    return pair


# --- many pairs at once (the admin's pair list) ---------------------------------

CLOSED_STATUSES = (MentorshipStatus.ENDED, MentorshipStatus.CANCELLED)


@dataclass(frozen=True)
class PairsEnded:
    """What mentorships_end did with the pairs it was given."""

    ended: int
    closed_already: int  # ended or cancelled before: left as they were
    deleted: int  # gone before their turn came


def mentorships_end(*, pairs: Iterable[Mentorship], by: User, reason: str, note: str = "") -> PairsEnded:
    """End many pairs today with one reason: each through mentorship_end, so
    each pair is told exactly as when it is ended alone. Each pair in a
    transaction of its own: its row is held only while it ends (its people
    may be booking meanwhile), and the pairs ended stay ended, their e-mail
    on its way, if a later one fails. A pair closed already is counted, not
    touched: its status is read under the row lock that mentorship_end then
    takes again, so a pair ended by someone else a moment ago counts as
    closed, not as ended twice."""
    if reason not in EndReason.values:
        raise EndRefused(_("Choose a reason."))
    ended = closed = deleted = 0
    for pair in sorted(pairs, key=lambda pair: pair.pk):
        with transaction.atomic():
            locked = Mentorship.objects.select_for_update().filter(pk=pair.pk).order_by()
            status = next(iter(locked.values_list("status", flat=True)), None)
            if status is None:
                deleted += 1
            elif status in CLOSED_STATUSES:
                closed += 1
            else:
                mentorship_end(mentorship=pair, by=by, reason=reason, note=note)
                ended += 1
    return PairsEnded(ended=ended, closed_already=closed, deleted=deleted)


class EndDateRefused(Exception):
    """The end date cannot be given to these pairs; the message says why."""


@dataclass(frozen=True)
class EndDatesSet:
    """What mentorships_set_end_date did with the pairs it was given."""

    set: int  # open pairs that now end on the date (some may have had it already)
    changed: int  # of those, the ones that had another end date (or none)
    closed: int  # ended or cancelled: left as they were
    deleted: int


@transaction.atomic
def mentorships_set_end_date(*, pairs: Iterable[Mentorship], ends_on: date) -> EndDatesSet:
    """Give the open pairs among `pairs` the planned end date `ends_on`, all
    or none: refused (EndDateRefused, nothing written) when the date has
    passed or comes before an open pair's start, as the pair form refuses
    it. The rows are held from the check to the commit, in order of id, so
    no start date moves in between and two coordinators at once do not
    deadlock. One UPDATE, so the audit trail and the figures are told here
    (an update sends no signal); closed pairs keep the date they ended on."""
    ids = sorted({pair.pk for pair in pairs})
    locked = list(
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("program", "mentor", "mentee")  # the audit entry names the pair
        .filter(pk__in=ids)
        .order_by("pk")
    )
    open_pairs = [pair for pair in locked if pair.status not in CLOSED_STATUSES]
    passed = open_pair_end_date_passed(ends_on, today=local_date(timezone.now()))
    if passed:
        raise EndDateRefused(passed)
    later = [pair.starts_on for pair in open_pairs if pair.starts_on and pair.starts_on > ends_on]
    if later:
        raise EndDateRefused(
            ngettext(
                "The end date cannot be before the start date: %(count)d of the pairs starts on %(date)s.",
                "The end date cannot be before the start date: %(count)d of the pairs start later, "
                "the last on %(date)s.",
                len(later),
            )
            % {"count": len(later), "date": date_format(max(later))}
        )
    _refuse_end_date_after_programs(open_pairs, ends_on)
    changing = [pair for pair in open_pairs if pair.ends_on != ends_on]
    if changing:
        Mentorship.objects.filter(pk__in=[pair.pk for pair in changing]).update(ends_on=ends_on)
        for pair in changing:
            # As auditlog writes a change of a date: its text, "None" for none.
            change_record(instance=pair, changes={"ends_on": [str(pair.ends_on), str(ends_on)]})
            pair.ends_on = ends_on
        program_figures_changed({pair.program_id for pair in changing})
    return EndDatesSet(
        set=len(open_pairs),
        changed=len(changing),
        closed=len(locked) - len(open_pairs),
        deleted=len(ids) - len(locked),
    )


def _refuse_end_date_after_programs(pairs: list[Mentorship], ends_on: date) -> None:
    """As the pair form refuses it (validators.end_date_after_program), for
    many pairs at once: the first program end that comes sooner, and how many
    programs end before the date when it is more than one."""
    sooner = {end for pair in pairs if (end := pair.program.ends_on) and end_date_after_program(ends_on, pair.program)}
    if sooner:
        raise EndDateRefused(
            ngettext(
                "The program ends on %(date)s: choose that day or earlier.",
                "%(count)d of the pairs' programs end before that date, the first on %(date)s: "
                "choose that day or earlier.",
                len(sooner),
            )
            % {"count": len(sooner), "date": date_format(min(sooner))}
        )


def checkin_record(
    *, mentorship: Mentorship, recorded_by: User, held_on: date, with_whom: str, channel: str, note: str = ""
) -> CheckIn:
    """The coordinator's record of a check-in with the pair."""
    return CheckIn.objects.create(
        mentorship=mentorship,
        recorded_by=recorded_by,
        held_on=held_on,
        with_whom=with_whom,
        channel=channel,
        note=note.strip(),
    )


@transaction.atomic
def background_check_record(*, person: User, extract_date: date, shown_on: date, checked_by: User) -> BackgroundCheck:
    """Record that `person` showed an extract from the police's register:
    its date, when it was shown and who looked at it (never the document).
    A new extract date is a new record: its expiry notice is due again. The
    person's pairs held back for want of it, and whose journal has started,
    become active now."""
    check = _background_check_save(person=person, extract_date=extract_date, shown_on=shown_on, checked_by=checked_by)
    held_back = list(
        Mentorship.objects.select_related("program").filter(
            mentor=person, status=MentorshipStatus.INVITED, program__requires_background_check=True
        )
    )
    started = journal_started_ids(held_back)
    for pair in held_back:
        if pair.pk in started:
            mentorship_activate(pair)
    return check


def _background_check_save(*, person: User, extract_date: date, shown_on: date, checked_by: User) -> BackgroundCheck:
    """The person's one record, created or its dates replaced. Two
    coordinators recording at once: the second waits for the first one's
    row and then replaces its dates, rather than failing on the unique key."""
    check = BackgroundCheck.objects.select_for_update().filter(person=person).first()
    if check is None:
        check = BackgroundCheck(person=person, extract_date=extract_date, shown_on=shown_on, checked_by=checked_by)
        check.full_clean(validate_unique=False)
        try:
            with transaction.atomic():  # a savepoint, so a clash leaves the caller's transaction usable
                check.save()
            return check
        except IntegrityError:
            check = BackgroundCheck.objects.select_for_update().get(person=person)
    if check.extract_date != extract_date:
        check.expiry_notice_sent_at = None  # a new extract: its own notice, when its time comes
    check.extract_date, check.shown_on, check.checked_by = extract_date, shown_on, checked_by
    check.full_clean(validate_unique=False)
    check.save()
    return check
