from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programs.models import FocusArea

from .. import template_texts
from ..models import Agreement

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def guidance(text):
    return HTML(format_html('<p class="form-text mt-0">{}</p>', text))


class AgreementForm(forms.ModelForm):
    """Tillfälle 1, in the template's order and words."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas"),
        queryset=FocusArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose the focus areas of your mentorship among those the program offers."),
    )

    class Meta:
        model = Agreement
        fields = list(Agreement.TEXT_FIELDS)
        labels = {
            "purpose_and_goals": _("Purpose & goals"),
            "roles": _("Roles"),
            "communication": _("How and when we communicate"),
            "areas": _("Which areas the mentorship covers"),
            "confidentiality": _("Level of confidentiality"),
            "confidentiality_notes": _("More about confidentiality"),
            "meeting_arrangements": _("How and how often we meet"),
            "costs": _("How any costs are handled"),
            "summary": _("Summary notes from meeting 1"),
        }
        widgets = {name: TEXTAREA for name in Agreement.TEXT_FIELDS if name != "confidentiality"} | {
            "confidentiality": forms.RadioSelect
        }
        help_texts = {"confidentiality": template_texts.CONFIDENTIALITY_HELP}

    def __init__(self, *args, mentorship, **kwargs):
        super().__init__(*args, **kwargs)
        # What the program offers, and what the pair already has: an area the
        # coordinator set, or one the program no longer offers, stays a
        # choice, so saving the agreement never drops it unseen.
        chosen = list(mentorship.focus_areas.all())
        offered = mentorship.program.offered_focus_areas()
        offered += [area for area in chosen if area not in offered]
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(pk__in=[area.pk for area in offered])
        # The seeded names are Swedish data with translations in the catalogue.
        self.fields["focus_areas"].choices = [(fa.pk, gettext(fa.name)) for fa in offered]
        if not self.is_bound:
            self.initial.setdefault("version", self.instance.version)
            self.initial.setdefault("focus_areas", chosen)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version",
            Fieldset(
                _("Purpose & goals"),
                guidance(template_texts.PURPOSE_AND_GOALS),
                "purpose_and_goals",
                *(["focus_areas"] if offered else []),
            ),
            Fieldset(_("Roles"), guidance(template_texts.ROLES), "roles"),
            Fieldset(
                _("Boundaries"),
                guidance(template_texts.BOUNDARIES),
                "communication",
                "areas",
                "confidentiality",
                "confidentiality_notes",
            ),
            Fieldset(_("Arrangements"), guidance(template_texts.ARRANGEMENTS), "meeting_arrangements", "costs"),
            Fieldset(_("Summary notes from meeting 1"), "summary"),
        )
        self.fields["summary"].label = _("Summary notes")

    def content(self):
        return {name: self.cleaned_data[name] for name in Agreement.TEXT_FIELDS}
