"""A URL reversed once for a whole list, each row's id put in its place.

Reversing a route costs ~30 µs; a page of 50 rows that links each row
reversed it 50 times for URLs that differ only in the id."""

import uuid
from collections.abc import Callable
from typing import Any

from django.urls import reverse

_PLACEHOLDER = uuid.UUID(int=0)


def url_for_each(viewname: str, *, current_app: str | None = None) -> Callable[[Any], str]:
    """`link(id)` for `viewname`, whose one argument is a UUID (a public id)."""
    head, tail = reverse(viewname, args=[_PLACEHOLDER], current_app=current_app).split(str(_PLACEHOLDER))
    return lambda public_id: f"{head}{public_id}{tail}"
