"""The program admin form as the browser posts it, for tests."""

PROGRAM_SETTINGS = {
    "description": "",
    "ends_on": "",
    "meeting_interval_weeks": 4,
    "reminder_days_before": 2,
    "reminder_hours_before": 2,
    "notes_nudge_after_days": 3,
    "booking_nudge_after_days": 14,
    "booking_nudge_max": 3,
    "stalled_after_weeks": 6,
    "agreement_due_weeks": 3,
}


def program_form(*, name, kind, starts_on, pairs=(), **extra):
    """The add/change form of a program, with one inline row per pair in
    `pairs` (each a dict of the row's fields, including "id")."""
    data = {
        "name": name,
        "kind": kind,
        "starts_on": starts_on.isoformat(),
        **PROGRAM_SETTINGS,
        "mentorships-TOTAL_FORMS": len(pairs),
        "mentorships-INITIAL_FORMS": len(pairs),
        "mentorships-MIN_NUM_FORMS": 0,
        "mentorships-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for index, row in enumerate(pairs):
        data.update({f"mentorships-{index}-{field}": value for field, value in row.items()})
    data.update(extra)
    return data
