"""Pairs: set up by e-mail, people invited, listed with their progress."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation
from accounts.services import invitation_resend, pair_invitations_withdraw
from sessions.models import Agreement, Meeting, OutgoingMail

from ..admin_scope import CoordinatorScopedAdmin
from ..models import Mentorship, Program
from ..permissions import coordinated_program_ids
from ..services import mentorship_announce, person_get_or_create, programs_lock_for_new_pairs
from .pair_import import PairImportAdminMixin


def _user_max_length(field):
    return get_user_model()._meta.get_field(field).max_length


def _journal_started_ids(mentorships):
    """The ids of those of `mentorships` whose journal has started: an
    agreement saved at least once, or any meeting (a booked one too)."""
    return set(
        Mentorship.objects.filter(pk__in=[m.pk for m in mentorships])
        .filter(
            Exists(Agreement.objects.filter(mentorship=OuterRef("pk"), version__gt=0))
            | Exists(Meeting.objects.filter(mentorship=OuterRef("pk")))
        )
        .values_list("pk", flat=True)
    )


def _journal_started(mentorship):
    return mentorship.pk is not None and mentorship.pk in _journal_started_ids([mentorship])


PEOPLE_FIELDS = ("mentor_email", "mentor_name", "mentee_email", "mentee_name")


def _normalised(name, value):
    value = (value or "").strip()
    return value.lower() if name.endswith("_email") else value


class MentorshipAdminForm(forms.ModelForm):
    """Pairs are set up by e-mail: new people are created and invited."""

    # As long as the User fields they are saved in: a longer address would
    # pass the form and fail in the database (PostgreSQL).
    mentor_email = forms.EmailField(label=_("Mentor's e-mail"), max_length=_user_max_length("email"))
    mentor_name = forms.CharField(label=_("Mentor's name"), max_length=_user_max_length("name"), required=False)
    mentee_email = forms.EmailField(label=_("Mentee's e-mail"), max_length=_user_max_length("email"))
    mentee_name = forms.CharField(label=_("Mentee's name"), max_length=_user_max_length("name"), required=False)

    class Meta:
        model = Mentorship
        fields = [
            "program",
            "mentor_organisation",
            "mentee_organisation",
            "focus_areas",
            "status",
            "starts_on",
            "ends_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for role in ("mentor", "mentee"):
                person = getattr(self.instance, role)
                self.fields[f"{role}_email"].initial = person.email
                self.fields[f"{role}_name"].initial = person.name
            if _journal_started(self.instance):
                self._fix_people()

    def _fix_people(self):
        """Once the pair has written in its journal, whoever is put on the pair
        reads all of it: a coordinator could put themselves in and read the
        notes the pair keeps from them. A disabled field keeps its initial
        value whatever is posted; clean() also refuses a posted change."""
        for name in PEOPLE_FIELDS:
            self.fields[name].disabled = True
        for name in ("mentor_email", "mentee_email"):
            self.fields[name].help_text = _(
                "The pair has started its journal, so the people can no longer be changed: "
                "whoever joins would read what the two have written. "
                "To pair someone else, end this pair and create a new one."
            )

    def clean(self):
        cleaned = super().clean()
        mentor, mentee = cleaned.get("mentor_email", ""), cleaned.get("mentee_email", "")
        if mentor and mentor.lower() == mentee.lower():
            raise forms.ValidationError(_("The mentor and the mentee must be different people."))
        program = cleaned.get("program")
        if program and mentor and mentee:
            programs_lock_for_new_pairs([program.pk])  # the admin saves in the same transaction
            clash = Mentorship.objects.filter(
                program=program, mentor__email__iexact=mentor, mentee__email__iexact=mentee
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("This pair already exists in the program."))
        if self.instance.pk:
            self._refuse_people_change_after_journal_started()
        self._check_focus_areas_offered(program, cleaned.get("focus_areas"))
        return cleaned

    def _refuse_people_change_after_journal_started(self):
        # The pair's row is held until the save commits. Booking a meeting and
        # saving the agreement for the first time hold it too (sessions.services),
        # so the journal cannot start between this check and the save.
        # No ordering: the default one joins the program, whose row would be
        # held too. (A no-op on SQLite, which has one writer at a time anyway.)
        list(Mentorship.objects.select_for_update().filter(pk=self.instance.pk).order_by().values_list("pk"))
        if not _journal_started(self.instance):
            return
        for name in PEOPLE_FIELDS:
            posted = self.data.get(self.add_prefix(name))  # a disabled field is not sent by a browser
            if posted is not None and _normalised(name, posted) != _normalised(name, self.fields[name].initial):
                self.add_error(name, _("The pair has started its journal; its people cannot be changed."))

    def _check_focus_areas_offered(self, program, focus_areas):
        if not (program and focus_areas):
            return
        for area in program.focus_areas_not_offered(focus_areas):
            self.add_error("focus_areas", _("The program does not offer the focus area %(name)s.") % {"name": area})

    def _post_clean(self):
        # The people are resolved on save; the model's own checks of mentor
        # and mentee run against the e-mail addresses in clean() above.
        self._validate_unique = False
        super()._post_clean()


# What goes with a pair when it is deleted: its invitations and outbox rows
# (bookkeeping) and its journal. Their own admins let nobody delete them one
# by one; with the pair they go, and whether the pair may go is decided here.
PARTS_OF_A_PAIR = (Invitation, OutgoingMail, Agreement, Meeting)
# Named on the delete page by their str(); anything else is named only by its
# kind, because "kom ihåg" items and comments would show their note text.
NAMED_ON_DELETE = (Mentorship, Invitation, OutgoingMail, Agreement, Meeting)


def _deleted_label(obj):
    kind = capfirst(obj._meta.verbose_name)
    return f"{kind}: {obj}" if isinstance(obj, NAMED_ON_DELETE) else kind


@admin.register(Mentorship)
class MentorshipAdmin(PairImportAdminMixin, CoordinatorScopedAdmin):
    form = MentorshipAdminForm
    list_display = [
        "__str__",
        "program",
        "mentor",
        "mentee",
        "status",
        "agreement_confirmed",
        "meetings_held",
        "next_meeting",
    ]
    list_filter = [
        ("program", admin.RelatedOnlyFieldListFilter),
        "status",
        ("focus_areas", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["mentor__name", "mentor__email", "mentee__name", "mentee__email"]
    list_select_related = ["program", "mentor", "mentee", "agreement"]
    filter_horizontal = ["focus_areas"]
    readonly_fields = ["public_id", "created_at"]
    change_list_template = "admin/programs/mentorship/change_list.html"
    actions = ["resend_invitations"]
    fieldsets = [
        (_("Mentor"), {"fields": ["mentor_email", "mentor_name", "mentor_organisation"]}),
        (_("Mentee"), {"fields": ["mentee_email", "mentee_name", "mentee_organisation"]}),
        (None, {"fields": ["program", "focus_areas", "status", ("starts_on", "ends_on")]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _meetings_held=Count("meetings", filter=Q(meetings__status="held")),
                _next_meeting=Min(
                    "meetings__starts_at",
                    filter=Q(meetings__status="booked", meetings__starts_at__gte=timezone.now()),
                ),
            )
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program" and not request.user.is_superuser:
            kwargs["queryset"] = Program.objects.filter(id__in=coordinated_program_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("agreement confirmed"), boolean=True)
    def agreement_confirmed(self, obj):
        agreement = getattr(obj, "agreement", None)
        return bool(agreement and agreement.is_confirmed)

    @admin.display(description=_("meetings held"), ordering="_meetings_held")
    def meetings_held(self, obj):
        return obj._meetings_held

    @admin.display(description=_("next meeting"), ordering="_next_meeting")
    def next_meeting(self, obj):
        return obj._next_meeting

    def save_model(self, request, obj, form, change):
        joined, left = [], []  # a new pair's two people, or one put in place of another
        for role in ("mentor", "mentee"):
            person, _created = person_get_or_create(
                email=form.cleaned_data[f"{role}_email"], name=form.cleaned_data.get(f"{role}_name", "")
            )
            if person.pk != getattr(obj, f"{role}_id"):
                joined.append(person)
                if getattr(obj, f"{role}_id") is not None:
                    left.append(getattr(obj, role))
            setattr(obj, role, person)
        obj.full_clean(exclude=["focus_areas"])
        super().save_model(request, obj, form, change)
        obj._joined, obj._left = joined, [p for p in left if p not in joined]

    def save_related(self, request, form, formset, change):
        super().save_related(request, form, formset, change)
        pair = form.instance
        if getattr(pair, "_left", None):
            pair_invitations_withdraw(mentorship=pair, people=pair._left)
        if getattr(pair, "_joined", None):
            mentorship_announce(mentorship=pair, people=pair._joined)

    def has_delete_permission(self, request, obj=None):
        # A pair whose journal has started is ended (its status), not deleted:
        # the notes are the two people's. Only a superuser erases one, when
        # asked to. Before that, deleting is how a mistyped pair is undone.
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or request.user.is_superuser or not _journal_started(obj)

    def get_deleted_objects(self, objs, request):
        """What deleting the pairs takes with it, and whether this person may
        (the delete page and the "delete selected" action both ask here)."""
        if not objs:
            return [], {}, set(), []
        collector = NestedObjects(using=router.db_for_write(self.model), origin=objs)
        collector.collect(objs)
        perms_needed = set()
        if not request.user.is_superuser and _journal_started_ids(objs):
            perms_needed.add(_("pairs whose journal has started (end them instead)"))
        for model, instances in collector.model_objs.items():
            if model is self.model or model in PARTS_OF_A_PAIR or not self.admin_site.is_registered(model):
                continue
            model_admin = self.admin_site.get_model_admin(model)
            if not all(model_admin.has_delete_permission(request, instance) for instance in instances):
                perms_needed.add(model._meta.verbose_name)
        model_count = {model._meta.verbose_name_plural: len(found) for model, found in collector.model_objs.items()}
        protected = [_deleted_label(obj) for obj in collector.protected]
        return collector.nested(_deleted_label), model_count, perms_needed, protected

    def delete_model(self, request, obj):
        with transaction.atomic(using=router.db_for_write(self.model)):
            self._refuse_deleting_journals(request, [obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            self._refuse_deleting_journals(request, queryset)
            super().delete_queryset(request, queryset)

    def _refuse_deleting_journals(self, request, pairs):
        """Asked again as the pairs are deleted, holding their rows: the mentee
        may have saved the agreement since the page was shown (saving it for
        the first time and booking a meeting hold the pair's row too)."""
        if request.user.is_superuser:
            return
        ids = [pair.pk for pair in pairs]
        list(Mentorship.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        if _journal_started_ids(pairs):
            raise PermissionDenied

    @admin.action(description=_("Resend invitation"), permissions=["change"])
    def resend_invitations(self, request, queryset):
        """A new invitation link for each party who has not yet set a password."""
        invited = []
        for mentorship in queryset.select_related("mentor", "mentee"):
            invited += invitation_resend(mentorship=mentorship)
        if invited:
            messages.success(
                request,
                _("A new invitation was sent to %(people)s.") % {"people": ", ".join(str(u) for u in invited)},
            )
        else:
            messages.info(request, _("Everyone in the selected pairs has already set a password; nothing was sent."))
