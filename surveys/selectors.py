"""Reading surveys: the person's form behind their link, and the results for
the program's coordinators."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from programs.models import Program

from .links import answer_key, link_read
from .models import Answer, Invitation, MeetingFrequency, Question, QuestionType, Survey, SurveyKind

# Free text is shown only from this many answers on, so that one person's
# words cannot be picked out.
FREE_TEXT_MIN_ANSWERS = 3


def invitation_for_link(token: str) -> tuple[Invitation, str] | None:
    """The invitation a link was made for, and the link's secret; None for a
    link we did not make or whose invitation is gone."""
    read = link_read(token)
    if read is None:
        return None
    invitation_id, secret = read
    invitation = (
        Invitation.objects.select_related("survey__program", "mentorship", "person").filter(pk=invitation_id).first()
    )
    return (invitation, secret) if invitation is not None else None


def answer_for(invitation: Invitation, secret: str) -> Answer | None:
    """The answer this link may change: in an anonymous survey the one its
    secret keys, in a named one the person's."""
    if invitation.survey.anonymous:
        return Answer.objects.filter(survey_id=invitation.survey_id, key_hash=answer_key(secret)).first()
    return Answer.objects.filter(invitation=invitation).first()


def program_questions(program: Program) -> list[Question]:
    return list(program.survey_questions.all())


@dataclass
class Scale:
    label: Any
    counts: list[tuple[Any, int]]
    average: float | None


@dataclass
class SurveyResults:
    survey: Survey
    asked: int = 0
    answered: int = 0
    scales: list[Scale] = field(default_factory=list)
    frequency: list[tuple[Any, int]] = field(default_factory=list)
    nps: int | None = None
    texts: list[dict[str, Any]] = field(default_factory=list)
    texts_hidden: bool = True


def _average(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _scale(label: Any, values: list[int], choices: range) -> Scale:
    counted = Counter(values)
    return Scale(label=label, counts=[(n, counted.get(n, 0)) for n in choices], average=_average(values))


def nps(values: list[int]) -> int | None:
    """The share of 9–10 minus the share of 0–6, in percentage points."""
    if not values:
        return None
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    return round(100 * (promoters - detractors) / len(values))


def survey_results(program: Program) -> list[SurveyResults]:
    """Per survey of the program (check-in, evaluation): four queries in all."""
    surveys = {s.kind: s for s in Survey.objects.filter(program=program)}
    questions = program_questions(program)
    results = []
    for kind in (SurveyKind.CHECKIN, SurveyKind.EVALUATION):
        survey = surveys.get(kind)
        if survey is not None:
            results.append(SurveyResults(survey=survey))
    if not results:
        return results
    ids = [r.survey.pk for r in results]
    asked: Counter[int] = Counter()
    answered: Counter[int] = Counter()
    for survey_id, has_answered in Invitation.objects.filter(survey_id__in=ids).values_list("survey_id", "answered"):
        asked[survey_id] += 1
        answered[survey_id] += int(has_answered)
    rows = Answer.objects.filter(survey_id__in=ids).values(
        "survey_id",
        "value",
        "frequency",
        "recommend",
        "best",
        "better",
        "extra",
        "invitation__person__name",
        "invitation__person__email",
    )
    by_survey: dict[int, list[dict[str, Any]]] = {}
    # Ordered by the text, never by when: nothing in the order hints at who.
    for row in sorted(rows, key=lambda r: (r["best"], r["better"])):
        by_survey.setdefault(row["survey_id"], []).append(dict(row))
    for result in results:
        _results_fill(result, by_survey.get(result.survey.pk, []), questions)
        result.asked, result.answered = asked[result.survey.pk], answered[result.survey.pk]
    return results


def _results_fill(result: SurveyResults, rows: list[dict[str, Any]], questions: list[Question]) -> None:
    result.scales.append(_scale(_("How valuable is the mentorship (1–5)"), [r["value"] for r in rows], range(1, 6)))
    recommend = [r["recommend"] for r in rows]
    result.scales.append(_scale(_("Would recommend the program (0–10)"), recommend, range(0, 11)))
    result.nps = nps(recommend)
    counted = Counter(r["frequency"] for r in rows)
    result.frequency = [(label, counted.get(value, 0)) for value, label in MeetingFrequency.choices]
    for question in questions:
        if question.answer_type == QuestionType.SCALE:
            values = [r["extra"].get(str(question.pk)) for r in rows]
            result.scales.append(_scale(question.text, [v for v in values if isinstance(v, int)], range(1, 6)))
    result.texts_hidden = len(rows) < FREE_TEXT_MIN_ANSWERS
    if result.texts_hidden:
        return
    for r in rows:
        texts = [(_("What has been best?"), r["best"]), (_("What could be better?"), r["better"])]
        texts += [(q.text, r["extra"].get(str(q.pk), "")) for q in questions if q.answer_type == QuestionType.TEXT]
        texts = [(label, text) for label, text in texts if isinstance(text, str) and text.strip()]
        if texts:
            name = "" if result.survey.anonymous else (r["invitation__person__name"] or r["invitation__person__email"])
            result.texts.append({"name": name, "texts": texts})


def report_averages(program: Program, starts: date, ends: date) -> list[tuple[Any, Any]]:
    """For the funder report: each survey's averages. Answers carry no date
    (an anonymous one must not), so these are of all answers, not the period."""
    rows: list[tuple[Any, Any]] = []
    for result in survey_results(program):
        name = result.survey.get_kind_display()
        value, recommend = result.scales[0].average, result.scales[1].average
        rows.append((_("%(survey)s: answered / asked") % {"survey": name}, f"{result.answered} / {result.asked}"))
        rows.append((_("%(survey)s: average value (1–5)") % {"survey": name}, "–" if value is None else value))
        rows.append(
            (_("%(survey)s: average recommendation (0–10)") % {"survey": name}, "–" if recommend is None else recommend)
        )
    return rows
