"""The survey's form: five short questions and the program's own."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TEXT_MAX, MeetingFrequency, QuestionType

VALUE_CHOICES = [
    (1, _("1 – not valuable")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – very valuable")),
]
OWN_SCALE_CHOICES = [(1, _("1 – not at all")), (2, "2"), (3, "3"), (4, "4"), (5, _("5 – very much"))]
RECOMMEND_CHOICES = [(0, _("0 – not at all likely"))] + [(n, str(n)) for n in range(1, 10)]
RECOMMEND_CHOICES.append((10, _("10 – very likely")))


class AnswerForm(forms.Form):
    value = forms.TypedChoiceField(
        label=_("How valuable is the mentorship to you?"),
        choices=VALUE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    frequency = forms.ChoiceField(
        label=_("How often have you met?"), choices=MeetingFrequency.choices, widget=forms.RadioSelect
    )
    best = forms.CharField(
        label=_("What has been best?"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    better = forms.CharField(
        label=_("What could be better?"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recommend = forms.TypedChoiceField(
        label=_("How likely are you to recommend the program to someone else?"),
        help_text=_("0 means not at all likely, 10 very likely."),
        choices=RECOMMEND_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, questions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.answer_type == QuestionType.SCALE:
                field: forms.Field = forms.TypedChoiceField(
                    choices=OWN_SCALE_CHOICES, coerce=int, widget=forms.RadioSelect, required=False
                )
            else:
                field = forms.CharField(max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))
            field.label = question.text
            self.fields[f"q{question.pk}"] = field

    @classmethod
    def initial_from(cls, answer: Any) -> dict[str, Any]:
        if answer is None:
            return {}
        initial = {name: getattr(answer, name) for name in ("value", "frequency", "best", "better", "recommend")}
        initial.update({f"q{key}": value for key, value in (answer.extra or {}).items()})
        return initial

    def answer_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in ("value", "frequency", "best", "better", "recommend")}
        extra = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value not in (None, ""):
                extra[str(question.pk)] = value
        data["extra"] = extra
        return data
