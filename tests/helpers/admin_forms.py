"""The program admin form as the browser posts it, for tests."""

from django.urls import reverse

PROGRAM_SETTINGS = {
    "description": "",
    "ends_on": "",
    "reminder_days_before": 2,
    "reminder_hours_before": 2,
    "notes_nudge_after_days": 3,
    "booking_nudge_after_days": 14,
    "booking_nudge_max": 3,
    "stalled_after_weeks": 6,
    "agreement_due_weeks": 3,
    "survey_checkin": "on",
    "survey_checkin_after_days": 30,
    "survey_evaluation": "on",
    "survey_anonymous": "on",
}


def program_form(*, name, kind, starts_on, pairs=(), questions=(), **extra):
    """The add/change form of a program, with one inline row per pair in
    `pairs` (each a dict of the row's fields, including "id") and one per
    new survey question in `questions` (dicts of position, text, answer_type)."""
    data = {
        "name": name,
        "kind": kind,
        "starts_on": starts_on.isoformat(),
        **PROGRAM_SETTINGS,
        "mentorships-TOTAL_FORMS": len(pairs),
        "mentorships-INITIAL_FORMS": len(pairs),
        "mentorships-MIN_NUM_FORMS": 0,
        "mentorships-MAX_NUM_FORMS": 1000,
        "survey_questions-TOTAL_FORMS": len(questions),
        "survey_questions-INITIAL_FORMS": 0,
        "survey_questions-MIN_NUM_FORMS": 0,
        "survey_questions-MAX_NUM_FORMS": 5,
        "_save": "Save",
    }
    for index, row in enumerate(pairs):
        data.update({f"mentorships-{index}-{field}": value for field, value in row.items()})
    for index, row in enumerate(questions):
        data.update({f"survey_questions-{index}-{field}": value for field, value in row.items()})
    data.update(extra)
    return data


def pair_form(program, **extra):
    """The add form of a pair as the browser posts it: two new people."""
    data = {
        "mentor_email": "mentor.ny@example.org",
        "mentor_name": "",
        "mentee_email": "mentee.ny@example.org",
        "mentee_name": "",
        "program": program.pk,
        "status": "invited",
        "starts_on": "",
        "ends_on": "",
        "_save": "Save",
    }
    data.update(extra)
    return data


def pair_edit_form(mentorship, **extra):
    """The change form of a pair as the browser posts it: its people as they
    are, unless `extra` puts someone else in (then without a name, unless
    `extra` gives one)."""
    data = pair_form(mentorship.program, status=mentorship.status)
    for role in ("mentor", "mentee"):
        person = getattr(mentorship, role)
        data[f"{role}_email"] = person.email
        data[f"{role}_name"] = "" if f"{role}_email" in extra else person.name
    data.update(extra)
    return data


def admin_url(model, action="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def change_url(obj):
    return admin_url(type(obj), "change", obj.pk)
