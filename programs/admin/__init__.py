"""The coordinator's admin, one module a noun; importing them registers them."""

from . import mentorships, organisations, programs  # noqa: F401
