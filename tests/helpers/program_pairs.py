"""Many pairs of one program in bulk, and the program page's URL with a filter."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from programs.models import Mentorship, MentorshipStatus
from sessions.models import Agreement, Meeting, MeetingStatus

SECRET = "Hemlig anteckning om familjen"
DAY = dt.timedelta(days=1)


def many_pairs(program, count, *, tag="p"):
    """`count` active pairs with an agreement and a held and a booked meeting, in bulk."""
    users = User.objects.bulk_create(
        [User(email=f"{tag}{i}@example.org", name=f"{tag.upper()} Person {i}", password="!") for i in range(2 * count)]
    )
    today = timezone.localdate()
    pairs = Mentorship.objects.bulk_create(
        [
            Mentorship(
                program=program,
                mentee=users[2 * i],
                mentor=users[2 * i + 1],
                status=MentorshipStatus.ACTIVE,
                starts_on=today - (i * 7 % 120) * DAY,
            )
            for i in range(count)
        ]
    )
    Agreement.objects.bulk_create(
        [Agreement(mentorship=p, purpose_and_goals=SECRET, version=1, summary=SECRET) for p in pairs]
    )
    now = timezone.now()
    Meeting.objects.bulk_create(
        [
            Meeting(mentorship=p, number=n, starts_at=now + sign * (5 + i % 30) * DAY, status=status, summary=SECRET)
            for i, p in enumerate(pairs)
            for n, sign, status in ((1, -1, MeetingStatus.HELD), (2, 1, MeetingStatus.BOOKED))
        ]
    )
    return pairs


def page_url(program, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("program_detail", args=[program.pk]) + (f"?{query}" if query else "")
