"""The admin's pair list in headless Chromium at a 1280 px window, with the
admin's menu open (its default) and the filter beside the list: every
column is on screen, none behind a sideways scroll. Long names, a long
program, every status, a booked meeting and a bounce, as a real list has."""

import datetime as dt

import pytest
from django.utils import timezone

from programs.models import MentorshipStatus
from tests.factories import PASSWORD, MeetingFactory, MentorshipFactory, UserFactory
from tests.helpers.bounces import bounce
from tests.helpers.browser import DESKTOP, axe_check, login

pytestmark = pytest.mark.browser

# Where each header ends, and the list's own box and sideways scroll.
MEASURE = """() => {
  const box = document.querySelector('#changelist-form .results');
  const headers = [...document.querySelectorAll('#result_list thead th')];
  return {
    headers: headers.map(th => [th.innerText.trim(), th.getBoundingClientRect().right]),
    boxRight: box.getBoundingClientRect().right,
    scrolls: box.scrollWidth - box.clientWidth,
    window: window.innerWidth,
  };
}"""


def test_every_column_of_the_pair_list_is_on_screen_at_1280_px(page, coordinator, program):
    assert DESKTOP["width"] == 1280
    program.name = "Ledarskap i föreningslivet 2026"
    program.save()
    for i, status in enumerate(MentorshipStatus.values):
        pair = MentorshipFactory(
            program=program,
            status=status,
            mentee=UserFactory(name=f"Cecilia Carlsson {i}", email=f"cecilia.carlsson{i}@example.org"),
            mentor=UserFactory(name=f"Anna-Karin Andersson {i}", email=f"anna-karin.andersson{i}@example.org"),
        )
        MeetingFactory(mentorship=pair, number=1, starts_at=timezone.now() + dt.timedelta(days=3 + i))
    bounce(pair, pair.mentee)

    login(page, coordinator.email, PASSWORD)
    page.goto("/admin/programs/mentorship/")
    axe_check(page)
    seen = page.evaluate(MEASURE)
    last_header, last_right = seen["headers"][-1]
    assert last_header == "STUDSAD E-POST"
    assert seen["scrolls"] <= 0, f"the list scrolls sideways by {seen['scrolls']} px: {seen['headers']}"
    for header, right in seen["headers"]:
        assert right <= seen["boxRight"] + 0.5 and right <= seen["window"], f"{header} ends at {right} px"
    assert page.locator("#result_list td.field-status").first.is_visible()
