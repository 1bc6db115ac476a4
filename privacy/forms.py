from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ErasureRequest


class ErasureRequestForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account is closed and what I wrote is erased."),
        error_messages={"required": _("Tick the box to confirm that you want your data erased.")},
    )
    message = forms.CharField(
        # Read with the request in the admin, by the superuser who carries it
        # out; the coordinators' e-mail does not carry it.
        label=_("A message with your request (optional)"),
        required=False,
        max_length=ErasureRequest._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
