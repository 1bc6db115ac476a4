"""The coordinator records a mentor's extract from the police's register on
the pair's page, in headless Chromium with the axe check, on a desktop and a
phone: the reason the pair is held back, a refused date, the record."""

import datetime as dt

import pytest
from django.utils import timezone

from programs.models import BackgroundCheck
from tests.factories import PASSWORD, MentorshipFactory
from tests.helpers.browser import PHONE, axe_check, login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_coordinator_records_an_extract(live_server, new_page, coordinator, program, mentor, viewport):
    program.requires_background_check = True
    program.save()
    pair = MentorshipFactory(program=program, mentor=mentor, status="invited")
    page = new_page(viewport)
    login(page, coordinator.email, PASSWORD)

    page.goto(f"/program/par/{pair.public_id}/")
    axe_check(page)
    assert "inget är registrerat för mentorn" in page.locator("#registerutdrag .alert").inner_text()

    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    page.fill("#id_extract_date", future)
    page.click("text=Spara utdragets datum")
    page.wait_for_selector("#registerutdrag .invalid-feedback")
    axe_check(page)
    assert "kan inte ligga i framtiden" in page.locator("#registerutdrag").inner_text()
    assert not BackgroundCheck.objects.exists()

    page.fill("#id_extract_date", (timezone.localdate() - dt.timedelta(days=14)).isoformat())
    page.click("text=Spara utdragets datum")
    page.wait_for_selector(".alert-success")
    axe_check(page)
    check = BackgroundCheck.objects.get(person=mentor)
    assert check.checked_by == coordinator
    assert "inget är registrerat" not in page.content()
