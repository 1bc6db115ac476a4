"""The coordinator's program at work (issue 10), in headless Chromium with the
axe check on desktop and phone: find the stalled pairs and those due for a
check-in, filter, search, record a check-in, export CSV and Excel, open the
funder report. Never a note's text."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from programs.models import CheckIn, MentorshipStatus
from sessions.models import MeetingStatus
from tests.factories import PASSWORD, AgreementFactory, MeetingFactory, MentorshipFactory, UserFactory
from tests.helpers.browser import PHONE, axe_check, login

pytestmark = pytest.mark.browser

SECRET = "Hemlig anteckning"


@pytest.fixture
def pairs(program):
    today = timezone.localdate()
    quiet = MentorshipFactory(
        program=program, starts_on=today - dt.timedelta(days=120), mentee=UserFactory(name="Stina Stilla")
    )
    AgreementFactory(mentorship=quiet, summary=SECRET)
    long_ago = timezone.now() - dt.timedelta(weeks=10)
    MeetingFactory(mentorship=quiet, number=1, starts_at=long_ago, status=MeetingStatus.HELD, summary=SECRET)
    new = MentorshipFactory(
        program=program, starts_on=today - dt.timedelta(days=16), mentee=UserFactory(name="Nora Ny")
    )
    ended = MentorshipFactory(program=program, status=MentorshipStatus.ENDED, mentee=UserFactory(name="Erik Ended"))
    return {"quiet": quiet, "new": new, "ended": ended}


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_coordinator_follows_up_the_program(live_server, new_page, coordinator, program, pairs, viewport):
    page = new_page(viewport)
    login(page, coordinator.email, PASSWORD)
    page.goto(f"/program/{program.pk}/")
    axe_check(page)
    assert SECRET not in page.content()
    figures = page.locator("#program-figures").inner_text()
    assert "par som har stannat av" in figures and "dags för avstämning" in figures

    # The stalled pairs, from the figure's link.
    page.click("#program-figures a[href='?attention=stalled']")
    page.wait_for_url("**attention=stalled")
    rows = page.locator("#program-pairs tbody tr")
    assert rows.count() == 1 and "Stina Stilla" in rows.first.inner_text()

    # Those due for a check-in, through the form; the filter stays in the address.
    page.goto(f"/program/{program.pk}/")
    page.select_option("#id_attention", "checkin")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**attention=checkin**")
    names = page.locator("#program-pairs tbody th").all_inner_texts()
    assert any("Nora Ny" in n for n in names) and not any("Erik Ended" in n for n in names)
    axe_check(page)

    # Search by name, and by status.
    page.goto(f"/program/{program.pk}/")
    page.fill("#id_q", "erik ended")
    page.select_option("#id_status", "ended")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**q=erik**")
    assert page.locator("#program-pairs tbody tr").count() == 1

    # Export what is shown.
    with page.expect_download() as csv_download:
        page.click("text=CSV")
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    assert "Erik Ended" in text and "Nora Ny" not in text and SECRET not in text
    with page.expect_download() as xlsx_download:
        page.click("text=Excel")
    book = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert any("Erik Ended" in str(cell.value) for row in book.active.iter_rows() for cell in row)

    # Record a check-in with the new pair; it is no longer due.
    page.goto(f"/program/{program.pk}/?attention=checkin")
    page.click("#program-pairs a:has-text('Nora Ny')")
    page.wait_for_url(f"**/program/par/{pairs['new'].public_id}/")
    axe_check(page)
    page.check("input[name=with_whom][value=both]")
    page.check("input[name=channel][value=phone]")
    page.fill("#id_note", "Ringde båda, allt är igång.")
    page.click("#avstamningar button[type=submit]")
    page.wait_for_url(f"**/program/par/{pairs['new'].public_id}/#avstamningar")
    assert "Avstämningen är sparad." in page.content()
    assert "Ringde båda, allt är igång." in page.content()
    assert CheckIn.objects.filter(mentorship=pairs["new"], recorded_by=coordinator).count() == 1

    # The funder report, counts only.
    page.goto(f"/program/{program.pk}/")
    page.click("text=Återrapport till bidragsgivare")
    page.wait_for_url(f"**/program/{program.pk}/aterrapport/")
    axe_check(page)
    summary = page.locator("#report-summary").inner_text()
    assert "Par som startat" in summary and "Stina Stilla" not in page.content() and SECRET not in page.content()


def test_the_report_with_a_long_name_does_not_widen_the_page_on_a_phone(live_server, new_page, coordinator, program):
    """The pairs' table scrolls inside its own box (.table-responsive): one
    long unbroken name made the whole page 708 px wide at 390 px."""
    long_name = "Långtnamnutanmellanslag" * 6
    MentorshipFactory(program=program, mentee=UserFactory(name=long_name))
    page = new_page(PHONE)
    login(page, coordinator.email, PASSWORD)
    page.goto(f"/program/{program.pk}/aterrapport/?starts={program.starts_on}&ends={timezone.localdate()}&names=on")
    assert long_name in page.locator("#report-pairs").inner_text()
    axe_check(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the report scrolls sideways by {overflow}px on a phone"


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_printed_list_says_its_filter_in_words(live_server, new_page, coordinator, program, pairs, viewport):
    """On paper the filter form is gone: the page printed says which pairs it
    lists, and only on paper (the form says it on screen)."""
    page = new_page(viewport)
    login(page, coordinator.email, PASSWORD)
    page.goto(f"/program/{program.pk}/?status=ended&q=erik")
    selection = page.locator("#pairs-selection")
    assert not selection.is_visible()
    page.emulate_media(media="print")
    assert selection.is_visible() and not page.locator("form[role=search]").is_visible()
    assert " ".join(selection.inner_text().split()) == (
        "Urval: Status: Avslutad · Sökning: ”erik” · Sorterat efter: Mentee"
    )
    assert page.locator("#program-pairs tbody tr").count() == 1
    axe_check(page)


# Where each of the period's fields and labels begins, and the form's width on the page.
PERIOD = """() => ['#id_starts', '#id_ends', 'label[for=id_starts]', 'label[for=id_ends]'].map(
  selector => document.querySelector(selector).getBoundingClientRect().top)"""


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_reports_from_and_to_stand_in_line_with_a_message_under_one(
    live_server, new_page, coordinator, program, viewport
):
    """Från was set lower than Till when Till had a message under it (the
    row was aligned at the bottom): the two begin at the same height."""
    page = new_page(viewport)
    login(page, coordinator.email, PASSWORD)
    for query in ("", "?starts=2026-03-01&ends=2026-02-01"):
        page.goto(f"/program/{program.pk}/aterrapport/{query}")
        starts, ends, starts_label, ends_label = page.evaluate(PERIOD)
        assert abs(starts - ends) < 1 and abs(starts_label - ends_label) < 1, (query, starts, ends)
        axe_check(page)
    assert "Perioden måste sluta samma dag som den börjar eller senare." in page.content()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
