"""A coordinator new to the admin walks through the pair list's actions for
many pairs at once, in headless Chromium on desktop and phone: ticks pairs,
ends them with a reason and the box ticked, reads what happened; gives
others an end date, a wrong one first. On the page that asks, a mistake
takes the focus to a summary whose lines lead to the fields. The axe check
runs on the page before and after a mistake: it is our template in
Django's chrome, and its fields are plain form widgets, not Django's admin
widgets."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from playwright.sync_api import expect

from programs.models import EndReason, Mentorship, MentorshipStatus
from tests.factories import PASSWORD, MentorshipFactory, UserFactory
from tests.helpers.browser import PHONE, axe_check, login

pytestmark = pytest.mark.browser


def run_action(page, pairs, action):
    """On the pair list: tick the pairs, choose the action, press "Utför"."""
    page.goto("/admin/programs/mentorship/")
    for pair in pairs:
        page.locator(f"input.action-select[value='{pair.pk}']").check()
    page.locator("select[name=action]").select_option(label=action)
    with page.expect_navigation():
        page.get_by_role("button", name="Utför").click()


def submit(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_coordinator_ends_pairs_and_then_gives_others_an_end_date(new_page, coordinator, program, viewport):
    pairs = [
        MentorshipFactory(
            program=program,
            mentee=UserFactory(name=f"Cecilia Carlsson {i}"),
            mentor=UserFactory(name=f"Anna Andersson {i}"),
        )
        for i in range(4)
    ]
    today = timezone.localdate()
    ended = MentorshipFactory(
        program=program, status=MentorshipStatus.ENDED, ends_on=today - dt.timedelta(days=3), end_reason="other"
    )
    page = new_page(viewport)
    login(page, coordinator.email, PASSWORD)

    # Ending two open pairs, with one that ended already among those ticked.
    run_action(page, [pairs[0], pairs[1], ended], "Avsluta markerade par")
    expect(page.get_by_role("heading", name="Avsluta markerade par")).to_be_visible()
    expect(page.locator("#selected-pairs tr.pair-skipped")).to_contain_text("lämnas som det är")
    axe_check(page)
    submit(page, "Avsluta 2 par")  # nothing chosen, nothing ticked
    summary = page.locator("#pair-action-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Välj varför paren avslutas.")
    box = "Kryssa i rutan för att bekräfta att de markerade paren ska avslutas i dag."
    expect(summary.get_by_role("link", name=box, exact=True)).to_be_visible()
    axe_check(page)
    summary.get_by_role("link", name="Skäl till avslut: Välj varför paren avslutas.").click()
    expect(page.get_by_label("Målen är nådda")).to_be_focused()
    page.get_by_label("Målen är nådda").check()
    page.get_by_label("Några ord (frivilligt)").fill("Tack för i år!")
    page.get_by_label("Jag förstår att de markerade paren avslutas i dag", exact=False).check()
    submit(page, "Avsluta 2 par")
    expect(page.locator(".messagelist")).to_contain_text(
        "2 par avslutades, 1 var redan avslutat eller makulerat. "
        "Mentee och mentor i varje par har fått ett mejl om det."
    )
    statuses = dict(Mentorship.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in pairs] == [MentorshipStatus.ENDED] * 2 + [MentorshipStatus.ACTIVE] * 2
    assert Mentorship.objects.get(pk=pairs[0].pk).end_reason == EndReason.GOALS_REACHED

    # An end date for the other two: one that has passed first, then a good one.
    run_action(page, pairs[2:], "Ändra slutdatum för markerade par")
    axe_check(page)
    date = page.get_by_label("Nytt slutdatum")
    date.fill((today - dt.timedelta(days=1)).isoformat())
    submit(page, "Ändra slutdatum för 2 par")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("har redan passerats. Välj i dag eller ett senare datum")
    expect(date).to_have_attribute("aria-invalid", "true")
    axe_check(page)
    assert [p.ends_on for p in Mentorship.objects.filter(pk__in=[p.pk for p in pairs[2:]])] == [None, None]
    new = today + dt.timedelta(days=60)
    date.fill(new.isoformat())
    submit(page, "Ändra slutdatum för 2 par")
    with override("sv"):
        expect(page.locator(".messagelist")).to_contain_text(f"2 par har nu slutdatumet {date_format(new)}.")
    assert [p.ends_on for p in Mentorship.objects.filter(pk__in=[p.pk for p in pairs[2:]])] == [new, new]
