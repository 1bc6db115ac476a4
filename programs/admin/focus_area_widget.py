"""Focus areas are ticked, not moved between Django's two lists."""

from django import forms


class FocusAreaCheckboxesMixin:
    """A program offers a handful of focus areas: checkboxes show them all at
    once, and Django's two-list widget titled its buttons in broken Swedish
    ("Välj vald fokusområden att välja bland")."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "focus_areas":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)
