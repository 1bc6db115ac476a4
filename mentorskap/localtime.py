"""The local time zone: times are stored in UTC and shown, reminded and
nudged in the zone of settings.TIME_ZONE (Europe/Stockholm)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings

LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime) -> date:
    """The calendar day a moment falls on in local time."""
    return moment.astimezone(LOCAL_TZ).date()
