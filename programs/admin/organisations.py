"""Focus areas and associations (föreningar), shared by programs."""

from django import forms
from django.contrib import admin
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import FocusArea, Mentorship, Organisation
from ..permissions import coordinated_program_ids, is_coordinator
from ..services import person_get_or_create


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
