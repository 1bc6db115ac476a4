"""`make test` installs requirements/test.txt alone, so it must pin every
package requirements/base.txt pins, at the same version: a package pinned
only in base.txt is there in production and missing from a fresh test run."""

import re

from .helpers.settings import BASE_DIR

PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;#]+)", re.MULTILINE)


def pins(name):
    text = (BASE_DIR / "requirements" / name).read_text()
    return {package.lower().replace("_", "-"): version for package, version in PIN.findall(text)}


def test_the_test_requirements_pin_everything_production_pins():
    base, test = pins("base.txt"), pins("test.txt")
    missing = {package: version for package, version in base.items() if test.get(package) != version}
    assert missing == {}, "pin these in requirements/test.txt too"
