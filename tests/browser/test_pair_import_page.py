"""The CSV import in headless Chromium, with the axe check: a coordinator
downloads the sample file, uploads it, sees the preview and imports it; and
the program's page in the admin, whose focus areas are checkboxes."""

import pytest

from programs.models import FocusArea, Mentorship
from tests.factories import PASSWORD
from tests.helpers.browser import axe_check, login

pytestmark = pytest.mark.browser


def test_a_coordinator_imports_the_sample_file(page, coordinator, program, tmp_path):
    login(page, coordinator.email, PASSWORD)
    page.goto("/admin/programs/mentorship/import/")
    axe_check(page)

    with page.expect_download() as download:
        page.click("a[href$='/import/exempel.csv']")
    sample = tmp_path / "exempel.csv"
    download.value.save_as(sample)

    page.set_input_files("input[name=file]", str(sample))
    with page.expect_navigation():
        page.click("input[type=submit][value='Förhandsvisning']")
    assert page.locator("#import-preview tbody tr").count() == 2
    axe_check(page)
    # Only a short token goes back to the server, not the file.
    assert len(page.locator("input[name=token]").get_attribute("value")) < 100

    with page.expect_navigation():
        page.click("input[name=confirm]")
    assert page.url.endswith("/admin/programs/mentorship/"), page.url
    assert Mentorship.objects.filter(program=program).count() == 2


def test_the_programs_focus_areas_are_checkboxes(page, coordinator, program):
    # The live server's database is emptied between tests, seeded areas too.
    for name in ("Samverkan", "Strategiskt arbete"):
        FocusArea.objects.get_or_create(name=name, defaults={"kind": program.kind})
    login(page, coordinator.email, PASSWORD)
    page.goto(f"/admin/programs/program/{program.pk}/change/")
    boxes = page.locator("input[type=checkbox][name=focus_areas]")
    assert boxes.count() == 2
    boxes.first.check()
    axe_check(page)
    assert "Välj vald" not in page.content()
