"""The program's own questions, edited inline on the program's admin page
(the inline is added to programs' ProgramAdmin in SurveysConfig.ready)."""

from django.contrib import admin

from programs.admin_scope import CoordinatorScopedInline

from .models import MAX_QUESTIONS, Question


class QuestionInline(CoordinatorScopedInline, admin.TabularInline):
    model = Question
    fields = ["position", "text", "answer_type"]
    extra = 0
    max_num = MAX_QUESTIONS
    verbose_name_plural = Question._meta.verbose_name_plural

    def get_formset(self, request, obj=None, **kwargs):
        # A sixth question is refused with a message, not dropped unseen.
        return super().get_formset(request, obj, validate_max=True, **kwargs)
