"""Reading a person's data for "Mina data" and export_personal_data."""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from programs.models import CheckIn, Mentorship
from programs.permissions import coordinated_program_ids

from .models import ErasureRequest, ErasureStatus
from .sections import SECTIONS


def personal_data_export(user: Any) -> dict[str, Any]:
    """Everything stored about `user`, section by section (privacy.sections).
    Notes the other party wrote are in it as the pair shares them: both
    parties read the whole journal already."""
    data: dict[str, Any] = {"exported_at": timezone.now()}
    for section in SECTIONS:
        value = section.export(user)
        if value is not None:
            data[section.name] = value
    return data


def person_roles(user: Any) -> dict[str, bool]:
    """What "Mina data" speaks to the person as: a party of a pair
    (`in_pairs`), a coordinator (`coordinates`: of a program now, or one who
    recorded check-ins before; a superuser as such is neither), both or neither."""
    return {
        "in_pairs": Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user)).exists(),
        "coordinates": bool(coordinated_program_ids(user)) or CheckIn.objects.filter(recorded_by=user).exists(),
    }


def pending_erasure(user: Any) -> ErasureRequest | None:
    """The person's open erasure request, if any: there is at most one."""
    return ErasureRequest.objects.filter(user=user, status=ErasureStatus.PENDING).first()
