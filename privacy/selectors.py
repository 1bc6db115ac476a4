"""Reading a person's data for "Mina data" and export_personal_data."""

from typing import Any

from django.utils import timezone

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
