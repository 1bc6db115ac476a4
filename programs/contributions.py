"""What apps above programs add to its pages, registered in their
AppConfig.ready() (programs may not import them; see outbox/kinds.py for the
same pattern): today the funder report's survey averages."""

from collections.abc import Callable
from datetime import date
from typing import Any

# (program, starts, ends) -> rows of (label, value) for the funder report.
ReportSection = Callable[[Any, date, date], list[tuple[Any, Any]]]

_report_sections: list[ReportSection] = []


def report_section_register(section: ReportSection) -> None:
    if section not in _report_sections:
        _report_sections.append(section)


def report_sections(program: Any, starts: date, ends: date) -> list[tuple[Any, Any]]:
    """Every registered section's rows, in the order they were registered."""
    rows: list[tuple[Any, Any]] = []
    for section in _report_sections:
        rows += section(program, starts, ends)
    return rows


# (label, URL name) of links on the coordinator's program page; the URL takes the program's pk.
_program_links: list[tuple[Any, str]] = []


def program_link_register(label: Any, url_name: str) -> None:
    if (label, url_name) not in _program_links:
        _program_links.append((label, url_name))


def program_links() -> list[tuple[Any, str]]:
    return list(_program_links)
