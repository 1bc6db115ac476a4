"""The meeting notes form as the browser posts it."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone


def notes_post(client, meeting, version=0, items=(), **extra):
    data = {
        "version": version,
        "reflection": "Jag har läst stadgarna.",
        "summary": "Vi pratade om delegering.",
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 20,
    }
    for index, text in enumerate(items):
        data[f"items-{index}-text"] = text
    data.update(extra)
    return client.post(reverse("meeting_notes", args=[meeting.public_id]), data)


def future(days=10, hour=18):
    day = timezone.localdate() + dt.timedelta(days=days)
    return day.isoformat(), f"{hour:02d}:00"
