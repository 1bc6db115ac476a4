"""The survey form behind a person's link (no login), and the results for
the program's coordinators (others get a 404)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from programs.exports import csv_response, xlsx_response
from programs.views.access import program_or_404

from .forms import AnswerForm
from .selectors import answer_for, invitation_for_link, program_questions, survey_results
from .services import AnsweredWithAnotherLink, SurveyClosed, answer_save


@never_cache
def survey_answer(request, token):
    found = invitation_for_link(token)
    if found is None:
        raise Http404
    invitation, secret = found
    program = invitation.survey.program
    page = {"invitation": invitation, "survey": invitation.survey, "program": program}
    if invitation.closes_at <= timezone.now():
        return render(request, "surveys/closed.html", page, status=410)
    questions = program_questions(program)
    answer = answer_for(invitation, secret)
    if answer is None and invitation.answered and invitation.survey.anonymous:
        return render(request, "surveys/other_link.html", page, status=409)
    form = AnswerForm(
        request.POST if request.method == "POST" else None, questions=questions, initial=AnswerForm.initial_from(answer)
    )
    if request.method == "POST" and form.is_valid():
        try:
            answer_save(invitation_id=invitation.pk, secret=secret, data=form.answer_data())
        except SurveyClosed:
            return render(request, "surveys/closed.html", page, status=410)
        except AnsweredWithAnotherLink:
            return render(request, "surveys/other_link.html", page, status=409)
        return redirect(f"{request.path}?sparat=1")
    saved = request.method == "GET" and request.GET.get("sparat") == "1" and answer is not None
    return render(request, "surveys/answer.html", {**page, "form": form, "answer": answer, "saved": saved})


@never_cache
@login_required
def program_surveys(request, pk):
    program = program_or_404(request, pk)
    results = survey_results(program)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _results_file(program, results, fmt)
    return render(request, "surveys/results.html", {"program": program, "results": results})


def _results_file(program, results, fmt):
    filename = f"{slugify(program.name) or 'program'}-{_('surveys')}"
    sheets = []
    for result in results:
        rows = [
            [result.survey.get_kind_display()],
            [_("Asked"), result.asked],
            [_("Answered"), result.answered],
            [_("Recommendation score (NPS)"), "–" if result.nps is None else result.nps],
        ]
        for scale in result.scales:
            rows.append([scale.label, _("Average"), "–" if scale.average is None else scale.average])
            rows += [["", value, count] for value, count in scale.counts]
        rows.append([_("How often have you met?")])
        rows += [["", str(label), count] for label, count in result.frequency]
        if not result.texts_hidden:
            rows.append([_("Free-text answers")])
            for entry in result.texts:
                rows += [[entry["name"], str(label), text] for label, text in entry["texts"]]
        sheets.append((str(result.survey.get_kind_display()), rows))
    if not sheets:
        sheets = [(_("Surveys"), [[_("No survey has been sent yet.")]])]
    if fmt == "xlsx":
        return xlsx_response(filename, sheets)
    rows = []
    for _title, sheet in sheets:
        rows += [*sheet, []]
    return csv_response(filename, rows)
