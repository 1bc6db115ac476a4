from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Comment

MAX_ITEMS = 20


class NotesForm(forms.Form):
    """Tillfälle 2 and after."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    done_items = forms.TypedMultipleChoiceField(
        label=_("Ticked off from last time"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The template's words head each part of the form (the fieldset legends);
    # the labels say what to write, rather than repeat the heading.
    reflection = forms.CharField(
        label=_("Your reflection: how has it gone since last time?"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    summary = forms.CharField(
        label=_("What you talked about, and what you agreed"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, previous_items=(), closing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if closing:
            # The closing meeting asks the closing questions, in the template's way of asking.
            self.fields["reflection"].label = _("Looking back: what have you learnt during the mentorship?")
            self.fields["summary"].label = _("What do you take with you, and what do you want to go on with?")
        self.fields["done_items"].choices = [(item.pk, item.text) for item in previous_items]
        if not self.is_bound:
            self.initial.setdefault("done_items", [item.pk for item in previous_items if item.done])


class ReminderItemForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Remember"), max_length=300, required=False)


ReminderItemFormSet = forms.formset_factory(
    ReminderItemForm, extra=2, can_delete=True, max_num=MAX_ITEMS, validate_max=True, absolute_max=MAX_ITEMS + 5
)


def reminder_item_formset(data=None, *, meeting, extra_rows=0):
    """The meeting's "kom ihåg" list as a formset: works without JavaScript
    (empty rows to fill in, a box to remove); JavaScript adds rows."""
    initial = [{"id": item.pk, "text": item.text} for item in meeting.reminder_items.all()]
    if data is not None and extra_rows:
        # "Lägg till" without JavaScript: the same rows again, plus one.
        data = data.copy()
        total = "items-TOTAL_FORMS"
        count = data.get(total, "")
        count = int(count) if count.isdigit() else 0
        data[total] = str(min(count + extra_rows, MAX_ITEMS))
    return ReminderItemFormSet(data, initial=initial, prefix="items")


def formset_items(formset, own_ids):
    """(id, text, delete) triples for the service; ids of other meetings are dropped."""
    items = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        item_id = data.get("id") if data.get("id") in own_ids else None
        items.append((item_id, data.get("text", "").strip(), data.get("DELETE", False)))
    return items


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        labels = {"text": _("Your comment")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
