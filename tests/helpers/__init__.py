"""Helpers shared by test modules. A test module imports from here, from
tests/factories.py or gets a fixture from conftest.py, never from another
test module."""
