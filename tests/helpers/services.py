"""Tests that need a service (PostgreSQL, Redis, Chromium, gettext)."""

import os

import pytest

IN_CI = bool(os.environ.get("CI"))


def require(condition, reason):
    """Skip locally when a service or browser is missing; in CI that fails."""
    if not condition:
        if IN_CI:
            pytest.fail(f"CI must run this test, but: {reason}")
        pytest.skip(reason)
