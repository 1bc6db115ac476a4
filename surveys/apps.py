from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Follow-up surveys")

    def ready(self):
        # This app's kinds of e-mail, and what it adds to the pages of the
        # program below it (programs may not import this app).
        from programs.admin.programs import PROGRAM_INLINES
        from programs.contributions import program_link_register, report_section_register

        from . import mail_kinds  # noqa: F401
        from .admin import QuestionInline
        from .selectors import report_averages

        if QuestionInline not in PROGRAM_INLINES:
            PROGRAM_INLINES.append(QuestionInline)
        report_section_register(report_averages)
        program_link_register(_("Follow-up surveys"), "program_surveys")
