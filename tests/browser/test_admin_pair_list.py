"""The admin's pair list in headless Chromium at a 1280 px window, with the
admin's menu open (its default) and the filter beside the list: every
column is on screen, none behind a sideways scroll. Long names, a long
program, every status, a booked meeting and a bounce, as a real list has,
and a pair whose names and addresses are longer than any column: a bounce
is a line under the person's name, not a column of its own."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

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
    // Cells whose text runs out of them (a long address that does not wrap).
    spilling: [...document.querySelectorAll('#result_list tbody td, #result_list tbody th')]
      .filter(cell => cell.scrollWidth > cell.clientWidth + 1).map(cell => cell.innerText),
  };
}"""
# The long pair's cell: where the name ends and where the bounce's line begins.
UNDER = """cell => {
  const bounce = cell.querySelector('.pair-bounce');
  const name = document.createRange();
  name.setStart(cell.querySelector('a') || cell, 0);
  name.setEnd(bounce.previousSibling || bounce, 0);
  return {nameBottom: name.getBoundingClientRect().bottom, bounceTop: bounce.getBoundingClientRect().top};
}"""
LONG_NAME = "Anna-Karin Margareta Johansson-Östergren af Klintberg"
LONG_EMAIL = "anna-karin.margareta.johansson-ostergren@idrottsforeningen-i-norra-sverige.example.org"


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
    long = MentorshipFactory(
        program=program,
        mentee=UserFactory(name=LONG_NAME, email=LONG_EMAIL),
        mentor=UserFactory(name=f"{LONG_NAME} II", email=f"ii.{LONG_EMAIL}"),
    )
    bounce(long, long.mentee)
    bounce(long, long.mentor)

    login(page, coordinator.email, PASSWORD)
    page.goto("/admin/programs/mentorship/")
    axe_check(page)
    seen = page.evaluate(MEASURE)
    last_header, last_right = seen["headers"][-1]
    assert last_header == "NÄSTA TILLFÄLLE"
    assert "STUDSAD E-POST" not in [header for header, _right in seen["headers"]]
    assert seen["scrolls"] <= 0, f"the list scrolls sideways by {seen['scrolls']} px: {seen['headers']}"
    for header, right in seen["headers"]:
        assert right <= seen["boxRight"] + 0.5 and right <= seen["window"], f"{header} ends at {right} px"
    assert seen["spilling"] == []
    assert page.locator("#result_list td.field-status").first.is_visible()

    # The bounce in words under each name, for the eye and for a screen reader.
    row = page.locator("#result_list tbody tr", has_text=f"{LONG_NAME} II")
    for cell, email in (
        (row.locator("th.field-mentee_person"), LONG_EMAIL),
        (row.locator("td.field-mentor_person"), f"ii.{LONG_EMAIL}"),
    ):
        expect(cell.locator(".pair-bounce")).to_have_text(f"E-post studsar: {email}")
        expect(cell.locator(".pair-bounce")).to_be_visible()
        where = cell.evaluate(UNDER)
        assert where["bounceTop"] >= where["nameBottom"] - 0.5, where
    expect(row.locator("th.field-mentee_person a")).to_have_accessible_name(f"{LONG_NAME} E-post studsar: {LONG_EMAIL}")
