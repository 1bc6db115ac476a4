"""Follow-up surveys: the check-in some days after the agreement, and the
evaluation when a pair has ended.

Who was asked and whether they have answered (`Invitation`) is stored apart
from what was answered (`Answer`). In an anonymous survey nothing ties an
answer to its person: no foreign key, no timestamp, a random primary key,
and the row versions of both tables are rewritten together on every answer
(surveys.services.answer_save), so neither their order nor their
transaction ids pair an answer with an invitation. An anonymous answer is
found again only by the hash of a random secret that exists in the person's
link alone. A named survey's answer names its invitation, so its person.

Free text written by a person: Answer.best, Answer.better and the text
values in Answer.extra (the program's own questions). Question.text is the
coordinator's.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# A survey stays open this long after a person was asked: answers can be
# changed until then, and a closed survey takes none.
OPEN_DAYS = 30
# One reminder, this many days after the first e-mail, to those who have not answered.
REMINDER_AFTER_DAYS = 7
MAX_QUESTIONS = 5
TEXT_MAX = 2000


class SurveyKind(models.TextChoices):
    CHECKIN = "checkin", _("Check-in survey")
    EVALUATION = "evaluation", _("Evaluation")


class MeetingFrequency(models.TextChoices):
    WEEKLY = "weekly", _("About once a week")
    FORTNIGHTLY = "fortnightly", _("About every other week")
    MONTHLY = "monthly", _("About once a month")
    LESS = "less", _("Less often than once a month")
    NOT_YET = "not_yet", _("We have not met yet")


class QuestionType(models.TextChoices):
    SCALE = "scale", _("A scale from 1 to 5")
    TEXT = "text", _("Free text")


class Survey(models.Model):
    """A program's check-in survey or its evaluation: every pair's answers
    are counted together, so that no answer stands out as one pair's."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="surveys"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SurveyKind.choices)
    # Fixed when the survey is made: answers given anonymously stay so even
    # if the program later asks for names.
    anonymous = models.BooleanField(_("anonymous answers"), default=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [models.UniqueConstraint(fields=["program", "kind"], name="survey_one_per_program_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.program}"


class Question(models.Model):
    """One of a program's own questions (at most five), asked in both surveys."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="survey_questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.CharField(_("question"), max_length=300)
    answer_type = models.CharField(_("answer"), max_length=10, choices=QuestionType.choices, default=QuestionType.SCALE)

    class Meta:
        verbose_name = _("own survey question")
        verbose_name_plural = _("own survey questions")
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class Invitation(models.Model):
    """One person of one pair asked to answer a survey; whether they have
    answered, never what."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations")
    mentorship = models.ForeignKey(
        "programs.Mentorship", verbose_name=_("pair"), on_delete=models.CASCADE, related_name="survey_invitations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    opens_at = models.DateTimeField(_("asked"))
    closes_at = models.DateTimeField(_("closes"))
    answered = models.BooleanField(_("has answered"), default=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "mentorship", "person"], name="survey_invitation_one_per_person_pair"
            )
        ]

    def __str__(self):
        return f"{self.survey} – {self.person}"


class Answer(models.Model):
    """What one person answered. Anonymous: found by `key_hash` only. Named:
    `invitation` says whose it is. No timestamps on purpose."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="answers")
    key_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    invitation = models.OneToOneField(
        Invitation, verbose_name=_("invitation"), null=True, blank=True, on_delete=models.CASCADE, related_name="answer"
    )
    value = models.PositiveSmallIntegerField(
        _("How valuable is the mentorship to you?"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    frequency = models.CharField(_("How often have you met?"), max_length=20, choices=MeetingFrequency.choices)
    best = models.TextField(_("What has been best?"), blank=True, max_length=TEXT_MAX)
    better = models.TextField(_("What could be better?"), blank=True, max_length=TEXT_MAX)
    recommend = models.PositiveSmallIntegerField(
        _("How likely are you to recommend the program to someone else?"),
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    # The program's own questions: {"<question id>": 1–5 or text}.
    extra = models.JSONField(_("own questions"), default=dict, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(key_hash__isnull=True) & models.Q(invitation__isnull=False))
                | (models.Q(key_hash__isnull=False) & models.Q(invitation__isnull=True)),
                name="survey_answer_keyed_one_way",
            ),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="survey_answer_value_1_5"),
            models.CheckConstraint(condition=models.Q(recommend__lte=10), name="survey_answer_recommend_0_10"),
        ]

    def __str__(self):
        return str(self.survey)
