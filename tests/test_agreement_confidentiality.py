"""The level of confidentiality: one party's word never opens more.

A level that shares more takes effect once both have said "Vi är överens" on
that version; until then a coordinator reads by the last level both
confirmed (the strictest for a never-confirmed agreement). A level that
shares less takes effect at once.
"""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from programs import permissions
from sessions.models import Agreement, Confidentiality, Meeting, MeetingStatus
from tests.factories import AgreementFactory, MeetingFactory
from tests.helpers.admin_forms import change_url
from tests.helpers.agreement import AGREEMENT_FIELDS

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Hemlig-anteckning-3b7e"
SECRET_SUMMARY_1 = "Hemlig-sammanfattning-träff-1"
PURPOSE = AGREEMENT_FIELDS["purpose_and_goals"]


@pytest.fixture
def held(mentorship):
    return MeetingFactory(
        mentorship=mentorship,
        number=2,
        starts_at=timezone.now() - dt.timedelta(days=3),
        status=MeetingStatus.HELD,
        summary=SECRET_NOTE,
    )


def save(client_for, mentee, mentorship, level, **overrides):
    agreement = Agreement.objects.filter(mentorship=mentorship).first()
    data = {
        **AGREEMENT_FIELDS,
        "summary": SECRET_SUMMARY_1,
        "confidentiality": level,
        "version": agreement.version if agreement else 0,
        **overrides,
    }
    response = client_for(mentee).post(reverse("agreement_edit", args=[mentorship.public_id]), data)
    assert response.status_code == 302
    return Agreement.objects.get(mentorship=mentorship)


def confirm(client_for, party, mentorship):
    version = Agreement.objects.get(mentorship=mentorship).version
    response = client_for(party).post(reverse("agreement_confirm", args=[mentorship.public_id]), {"version": version})
    assert response.status_code == 302
    return Agreement.objects.get(mentorship=mentorship)


def coordinator_pages(client, mentorship, meeting):
    """Every place a coordinator could read note text: the pages, the print
    views, the versions and the admin."""
    agreement = Agreement.objects.get(mentorship=mentorship)
    urls = [
        reverse("mentorship_detail", args=[mentorship.public_id]),
        reverse("meeting_detail", args=[meeting.public_id]),
        reverse("journal_print", args=[mentorship.public_id]),
        reverse("agreement_print", args=[mentorship.public_id]),
        reverse("agreement_versions", args=[mentorship.public_id]),
        reverse("agreement_version_detail", args=[mentorship.public_id, agreement.version]),
        change_url(agreement),
        change_url(meeting),
    ]
    first = Meeting.objects.filter(mentorship=mentorship, number=1).first()
    if first is not None:
        urls.append(reverse("meeting_detail", args=[first.public_id]))
    html = ""
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        if response.status_code == 200:
            html += response.content.decode()
    return html


def test_the_mentee_alone_cannot_open_the_notes(client_for, mentee, mentor, coordinator, mentorship, held):
    save(client_for, mentee, mentorship, Confidentiality.PRIVATE)
    confirm(client_for, mentee, mentorship)
    confirm(client_for, mentor, mentorship)

    agreement = save(client_for, mentee, mentorship, Confidentiality.OPEN)
    assert (agreement.confidentiality, agreement.shared_confidentiality) == ("open", "private")
    html = coordinator_pages(client_for(coordinator), mentorship, held)
    assert SECRET_NOTE not in html and SECRET_SUMMARY_1 not in html and PURPOSE not in html

    # The mentee's own "Vi är överens" is still one party's word.
    confirm(client_for, mentee, mentorship)
    html = coordinator_pages(client_for(coordinator), mentorship, held)
    assert SECRET_NOTE not in html and SECRET_SUMMARY_1 not in html

    agreement = confirm(client_for, mentor, mentorship)
    assert agreement.shared_confidentiality == "open"
    html = coordinator_pages(client_for(coordinator), mentorship, held)
    assert SECRET_NOTE in html and SECRET_SUMMARY_1 in html and PURPOSE in html


def test_a_never_confirmed_agreement_is_read_at_the_strictest_level(client_for, mentee, coordinator, mentorship, held):
    agreement = save(client_for, mentee, mentorship, Confidentiality.OPEN)
    assert agreement.shared_confidentiality == "private"
    html = coordinator_pages(client_for(coordinator), mentorship, held)
    assert PURPOSE not in html and SECRET_NOTE not in html


def test_a_raise_to_the_agreement_shows_the_agreement_only_after_both_confirm(
    client_for, mentee, mentor, coordinator, mentorship, held
):
    save(client_for, mentee, mentorship, Confidentiality.AGREEMENT)
    confirm(client_for, mentor, mentorship)
    assert PURPOSE not in coordinator_pages(client_for(coordinator), mentorship, held)
    confirm(client_for, mentee, mentorship)
    html = coordinator_pages(client_for(coordinator), mentorship, held)
    assert PURPOSE in html and SECRET_NOTE not in html and SECRET_SUMMARY_1 not in html


def test_lowering_the_level_takes_effect_at_once(client_for, mentee, mentor, coordinator, mentorship, held):
    save(client_for, mentee, mentorship, Confidentiality.OPEN)
    confirm(client_for, mentee, mentorship)
    confirm(client_for, mentor, mentorship)
    assert SECRET_NOTE in coordinator_pages(client_for(coordinator), mentorship, held)

    agreement = save(client_for, mentee, mentorship, Confidentiality.AGREEMENT)
    assert agreement.shared_confidentiality == "agreement" and not agreement.is_confirmed
    html = coordinator_pages(client_for(coordinator), mentorship, held)
    assert PURPOSE in html and SECRET_NOTE not in html and SECRET_SUMMARY_1 not in html

    agreement = save(client_for, mentee, mentorship, Confidentiality.PRIVATE)
    assert agreement.shared_confidentiality == "private"
    assert PURPOSE not in coordinator_pages(client_for(coordinator), mentorship, held)


def test_a_raise_lowered_again_before_anyone_confirmed_never_opens_anything(
    client_for, mentee, mentor, coordinator, mentorship, held
):
    save(client_for, mentee, mentorship, Confidentiality.PRIVATE)
    confirm(client_for, mentee, mentorship)
    confirm(client_for, mentor, mentorship)
    save(client_for, mentee, mentorship, Confidentiality.OPEN)
    agreement = save(client_for, mentee, mentorship, Confidentiality.AGREEMENT)
    assert (agreement.confidentiality, agreement.shared_confidentiality) == ("agreement", "private")


def test_changing_other_text_keeps_the_level_both_confirmed(client_for, mentee, mentor, coordinator, mentorship, held):
    save(client_for, mentee, mentorship, Confidentiality.OPEN)
    confirm(client_for, mentee, mentorship)
    confirm(client_for, mentor, mentorship)
    agreement = save(client_for, mentee, mentorship, Confidentiality.OPEN, roles="Nya roller")
    assert not agreement.is_confirmed and agreement.shared_confidentiality == "open"
    assert SECRET_NOTE in coordinator_pages(client_for(coordinator), mentorship, held)


def test_an_unconfirmed_open_version_is_not_read_once_an_older_level_is_in_force(
    client_for, mentee, mentor, coordinator, mentorship
):
    """Versions are read at their own level, never above the one in force."""
    save(client_for, mentee, mentorship, Confidentiality.AGREEMENT)
    confirm(client_for, mentee, mentorship)
    confirm(client_for, mentor, mentorship)
    save(client_for, mentee, mentorship, Confidentiality.OPEN, summary="Otillåten text i version 2")
    page = client_for(coordinator).get(reverse("agreement_version_detail", args=[mentorship.public_id, 2]))
    assert page.status_code == 200
    assert "Otillåten text i version 2" not in page.content.decode()


def test_both_parties_see_the_pending_change_the_coordinator_does_not(
    client_for, mentee, mentor, coordinator, mentorship, english
):
    save(client_for, mentee, mentorship, Confidentiality.AGREEMENT)
    confirm(client_for, mentee, mentorship)
    confirm(client_for, mentor, mentorship)
    save(client_for, mentee, mentorship, Confidentiality.OPEN)
    pending = "changes to “The coordinator may read the agreement and the meeting notes” when you have both confirmed"
    detail = reverse("mentorship_detail", args=[mentorship.public_id])
    for party in (mentee, mentor):
        assert pending in client_for(party).get(detail).content.decode()
    edit = client_for(mentee).get(reverse("agreement_edit", args=[mentorship.public_id])).content.decode()
    assert pending in edit
    html = client_for(coordinator).get(detail).content.decode()
    assert pending not in html
    # What the coordinator is told is the level in force.
    assert "The coordinator may read the agreement, not the meeting notes" in html

    confirm(client_for, mentee, mentorship)
    confirm(client_for, mentor, mentorship)
    assert pending not in client_for(mentee).get(detail).content.decode()


def test_the_pending_change_is_in_swedish(client_for, mentee, mentorship):
    save(client_for, mentee, mentorship, Confidentiality.OPEN)
    html = client_for(mentee).get(reverse("mentorship_detail", args=[mentorship.public_id])).content.decode()
    assert "Nivån av konfidens ändras till" in html and "när ni båda har bekräftat" in html


# --- The rule itself, by role ----------------------------------------------------

ROLES = ["mentee", "mentor", "coordinator", "other_coordinator", "outsider", "superuser"]
# in force -> (agreement readable, notes readable) for someone who coordinates the program
COORDINATOR_READS = {"private": (False, False), "agreement": (True, False), "open": (True, True)}


@pytest.mark.parametrize("chosen", Confidentiality.values)
@pytest.mark.parametrize("in_force", Confidentiality.values)
@pytest.mark.parametrize("role", ROLES)
def test_who_reads_what(request, mentorship, role, in_force, chosen):
    user = request.getfixturevalue(role)
    agreement = AgreementFactory(mentorship=mentorship, confidentiality=chosen, shared_confidentiality=in_force)
    reads = (
        permissions.can_read_agreement(user, mentorship, agreement),
        permissions.can_read_notes(user, mentorship, agreement),
    )
    if role in ("mentee", "mentor"):
        assert reads == (True, True)
    elif role in ("coordinator", "superuser"):
        assert reads == COORDINATOR_READS[in_force]  # never by the chosen level
    else:
        assert reads == (False, False)


@pytest.mark.parametrize(
    ("in_force", "chosen", "confirmed", "expected"),
    [
        ("private", "open", False, "private"),
        ("private", "agreement", False, "private"),
        ("agreement", "open", False, "agreement"),
        ("private", "open", True, "open"),
        ("open", "agreement", False, "agreement"),
        ("open", "private", False, "private"),
        ("agreement", "private", False, "private"),
        ("open", "open", False, "open"),
        ("bogus", "open", False, "bogus"),
    ],
)
def test_confidentiality_in_force(in_force, chosen, confirmed, expected):
    result = permissions.confidentiality_in_force(in_force=in_force, chosen=chosen, confirmed_by_both=confirmed)
    assert result == expected


@pytest.mark.parametrize("role", ["coordinator", "other_coordinator", "outsider"])
def test_pages_for_strangers_and_coordinators_while_a_raise_is_pending(
    request, client_for, mentee, mentorship, held, role
):
    save(client_for, mentee, mentorship, Confidentiality.OPEN)
    client = client_for(request.getfixturevalue(role))
    expected = 404
    versions = client.get(reverse("agreement_versions", args=[mentorship.public_id])).status_code
    assert versions == expected
    meeting = client.get(reverse("meeting_detail", args=[held.public_id]))
    assert meeting.status_code == (200 if role == "coordinator" else 404)
    assert SECRET_NOTE not in meeting.content.decode()


def test_the_migration_fills_the_level_in_force():
    """Confirmed by both: their level. Anything else: the strictest."""
    migration = importlib.import_module("sessions.migrations.0004_agreement_confidentiality_in_force")
    now = timezone.now()
    both = AgreementFactory(confidentiality="open", mentee_confirmed_at=now, mentor_confirmed_at=now)
    one = AgreementFactory(confidentiality="open", mentee_confirmed_at=now)
    none = AgreementFactory(confidentiality="agreement")
    assert set(Agreement.objects.values_list("shared_confidentiality", flat=True)) == {"private"}  # the new column

    migration.fill_level_in_force(apps, None)

    levels = dict(Agreement.objects.values_list("pk", "shared_confidentiality"))
    assert levels == {both.pk: "open", one.pk: "private", none.pk: "private"}
