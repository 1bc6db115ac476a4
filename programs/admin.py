from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.db.models import Count, Min, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.services import pair_invitations_withdraw

from .admin_scope import CoordinatorScopedAdmin, CoordinatorScopedInline
from .models import FocusArea, Mentorship, Organisation, Program
from .pair_import import import_pairs, parse_pairs
from .permissions import coordinated_program_ids, is_coordinator
from .services import mentorship_announce, person_get_or_create


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "position"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def has_module_permission(self, request):
        return is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_add_permission(self, request):
        return is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    has_delete_permission = has_change_permission


class OrganisationAdminForm(forms.ModelForm):
    """Contact persons by e-mail, like the people of a pair: no list of all users."""

    contact_emails = forms.CharField(
        label=_("contact persons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One e-mail address per line."),
    )

    class Meta:
        model = Organisation
        fields = ["name", "organisation_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["contact_emails"].initial = "\n".join(c.email for c in self.instance.contacts.all())

    def clean_contact_emails(self):
        emails = [line.strip().lower() for line in self.cleaned_data["contact_emails"].splitlines() if line.strip()]
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(_("Invalid e-mail address: %(email)s"), params={"email": email}) from None
        return list(dict.fromkeys(emails))


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "organisation_number"]
    search_fields = ["name", "organisation_number"]
    fields = ["name", "organisation_number", "contact_emails"]

    def save_related(self, request, form, formset, change):
        super().save_related(request, form, formset, change)
        people = [person_get_or_create(email=email)[0] for email in form.cleaned_data["contact_emails"]]
        form.instance.contacts.set(people)

    def has_module_permission(self, request):
        return is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    has_add_permission = has_view_permission

    def has_change_permission(self, request, obj=None):
        # Associations are shared by programs: a coordinator may rename one
        # only while no other program's pair names it.
        if not is_coordinator(request.user):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return (
            not Mentorship.objects.filter(Q(mentor_organisation=obj) | Q(mentee_organisation=obj))
            .exclude(program_id__in=coordinated_program_ids(request.user))
            .exists()
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class MentorshipInline(CoordinatorScopedInline, admin.TabularInline):
    model = Mentorship
    fields = ["mentee", "mentor", "status", "starts_on", "ends_on"]
    readonly_fields = ["mentee", "mentor"]
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # pairs are added on their own page, where people are invited

    def has_delete_permission(self, request, obj=None):
        # Deleting a pair here would take its agreement and notes with it,
        # unseen; the pair's own delete page lists them and checks each.
        return False

    def get_queryset(self, request):
        # Each row shows both people and links by the pair's name: one query, not three per pair.
        return super().get_queryset(request).select_related("program", "mentor", "mentee")


@admin.register(Program)
class ProgramAdmin(CoordinatorScopedAdmin):
    program_lookup = "id"
    list_display = ["name", "kind", "starts_on", "ends_on", "pair_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["focus_areas"]
    inlines = [MentorshipInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "description", ("starts_on", "ends_on"), "focus_areas"]}),
        (_("Coordinators"), {"fields": ["coordinators"]}),
        (
            _("Meetings and reminders"),
            {
                "fields": [
                    "meeting_interval_weeks",
                    ("reminder_days_before", "reminder_hours_before"),
                    ("notes_nudge_after_days", "booking_nudge_after_days", "booking_nudge_max"),
                    ("stalled_after_weeks", "agreement_due_weeks"),
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_pair_count=Count("mentorships"))

    @admin.display(description=_("pairs"), ordering="_pair_count")
    def pair_count(self, obj):
        return obj._pair_count

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Coordinators do not pick among all users; they are added themselves.
        return [fs for fs in fieldsets if fs[1]["fields"] != ["coordinators"]]

    def has_add_permission(self, request):
        return request.user.is_superuser or (request.user.is_staff and request.user.is_active)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        # A new coordinator starts with no program: the (empty) list is theirs.
        if obj is None:
            return self.has_module_permission(request)
        return super().has_view_permission(request, obj)

    def save_related(self, request, form, formset, change):
        super().save_related(request, form, formset, change)
        if not request.user.is_superuser:
            # The coordinator who creates a program coordinates it.
            form.instance.coordinators.add(request.user)
            request.user._coordinated_program_ids = None


def _user_max_length(field):
    return get_user_model()._meta.get_field(field).max_length


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

    def clean(self):
        cleaned = super().clean()
        mentor, mentee = cleaned.get("mentor_email", ""), cleaned.get("mentee_email", "")
        if mentor and mentor.lower() == mentee.lower():
            raise forms.ValidationError(_("The mentor and the mentee must be different people."))
        program = cleaned.get("program")
        if program and mentor and mentee:
            clash = Mentorship.objects.filter(
                program=program, mentor__email__iexact=mentor, mentee__email__iexact=mentee
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("This pair already exists in the program."))
        self._check_focus_areas_offered(program, cleaned.get("focus_areas"))
        return cleaned

    def _check_focus_areas_offered(self, program, focus_areas):
        """As in the CSV import: a program that names its focus areas offers only those."""
        if not (program and focus_areas):
            return
        offered = set(program.focus_areas.all())
        for area in focus_areas:
            if offered and area not in offered:
                self.add_error("focus_areas", _("The program does not offer the focus area %(name)s.") % {"name": area})

    def _post_clean(self):
        # The people are resolved on save; the model's own checks of mentor
        # and mentee run against the e-mail addresses in clean() above.
        self._validate_unique = False
        super()._post_clean()


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("At most 2 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


@admin.register(Mentorship)
class MentorshipAdmin(CoordinatorScopedAdmin):
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

    @admin.action(description=_("Resend invitation"), permissions=["change"])
    def resend_invitations(self, request, queryset):
        """A new invitation link for each party who has not yet set a password."""
        from accounts.services import invitation_resend

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

    # --- CSV import -------------------------------------------------------
    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="programs_mentorship_import"),
        ] + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Import pairs")}
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirm(request, context)
        form = CsvUploadForm(request.POST or None, request.FILES or None)
        context["form"] = form
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data["file"].read()
            result = parse_pairs(data, request.user)
            context.update(
                result=result, payload=signing.dumps(data.decode("latin-1"), salt="pair-import", compress=True)
            )
        return TemplateResponse(request, "admin/programs/mentorship/import.html", context)

    def _import_confirm(self, request, context):
        try:
            data = signing.loads(request.POST["payload"], salt="pair-import", max_age=3600).encode("latin-1")
        except (signing.BadSignature, KeyError):
            messages.error(request, _("The preview has expired. Upload the file again."))
            return redirect(reverse("admin:programs_mentorship_import"))
        result = parse_pairs(data, request.user)
        if not result.ok:
            context.update(form=CsvUploadForm(), result=result)
            return TemplateResponse(request, "admin/programs/mentorship/import.html", context)
        created = import_pairs(result)
        messages.success(request, _("%(count)s pairs were imported.") % {"count": len(created)})
        return redirect(reverse("admin:programs_mentorship_changelist"))
