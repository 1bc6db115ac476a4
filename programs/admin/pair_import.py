"""The CSV import of pairs in the admin: upload, preview, all or nothing."""

import csv
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..pair_import import COLUMNS, MAX_ROWS, SWEDISH_COLUMNS, import_pairs, parse_pairs, sample_rows
from ..pair_import_uploads import upload_keep, upload_take

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        error_messages={"required": _("Choose a CSV file to upload.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Here, not in the field: in the language of the request.
        self.fields["file"].help_text = gettext("At most 2 MB and %(rows)s pairs.") % {
            "rows": number_format(MAX_ROWS, force_grouping=True)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; at most 2 MB can be imported at a time. Split it into smaller files.")
                % {"size": number_format(upload.size / 1024 / 1024, 1)}
            )
        return upload


class PairImportAdminMixin:
    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="programs_mentorship_import"),
            path(
                "import/exempel.csv",
                self.admin_site.admin_view(self.import_sample_view),
                name="programs_mentorship_import_sample",
            ),
        ] + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import pairs"),
            "columns": [SWEDISH_COLUMNS[column] for column in COLUMNS],
        }
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirm(request, context)
        form = CsvUploadForm(request.POST or None, request.FILES or None)
        context["form"] = form
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data["file"].read()
            result = parse_pairs(data, request.user)
            context["result"] = result
            if result.ok:
                context["token"] = upload_keep(user=request.user, data=data)
        return TemplateResponse(request, "admin/programs/mentorship/import.html", context)

    def _import_confirm(self, request, context):
        data = upload_take(user=request.user, token=request.POST.get("token"))
        if data is None:
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

    def import_sample_view(self, request):
        """A sample file in the format the import reads: UTF-8 with a BOM
        (so Excel shows å, ä, ö), semicolons as Swedish Excel writes them."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(sample_rows(request.user))
        response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="par-exempel.csv"'
        return response
