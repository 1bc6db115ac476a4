"""The CSV import of pairs in the admin: upload, preview, all or nothing."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from ..pair_import import import_pairs, parse_pairs


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("At most 2 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class PairImportAdminMixin:
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
        try:
            created = import_pairs(result)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("admin:programs_mentorship_import"))
        messages.success(request, _("%(count)s pairs were imported.") % {"count": len(created)})
        return redirect(reverse("admin:programs_mentorship_changelist"))
