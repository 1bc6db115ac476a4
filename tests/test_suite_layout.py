"""The test suite's own rules: test modules share code only through
tests/helpers/, tests/factories.py and conftest fixtures, and no test but the
delivery tests sends a task to a real broker."""

import ast
from pathlib import Path

from mentorskap.celery import app as celery_app

from .helpers.celery import MEMORY_BROKER

TESTS = Path(__file__).parent


def imported_modules(path):
    """Every module `path` imports, as dotted names relative to tests/ when
    the import is relative (`.test_x` -> `tests.test_x`)."""
    package = ".".join(path.relative_to(TESTS.parent).parent.parts)
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def test_no_test_module_imports_another_test_module_or_a_conftest():
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        for module in imported_modules(path):
            last = module.rsplit(".", 1)[-1]
            if module.startswith("tests") and (last.startswith("test_") or last == "conftest"):
                offenders.append(f"{path.relative_to(TESTS)} imports {module}")
    assert offenders == []


def test_tasks_go_to_the_in_memory_broker():
    assert celery_app.conf.broker_url == MEMORY_BROKER
    # Sends without a broker running: nothing listens, nothing is lost for a test.
    celery_app.send_task("outbox.dispatch_due_mail")
    with celery_app.connection_for_write() as connection:
        assert connection.transport_cls == "memory"
