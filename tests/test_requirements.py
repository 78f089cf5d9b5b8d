"""The pinned requirements: every pin compiled with its hashes, the site's apart from the tests'."""

import re

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from support.site_build import SITE_ROOT

FOLDER = SITE_ROOT / "requirements"
PINNED = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)")


def pins_in(name):
    """{package: version} of a requirements file, and whether every entry carries a hash."""
    text = (FOLDER / name).read_text(encoding="utf-8")
    entries = re.split(r"\n(?=\S)", text)
    pins, unhashed = {}, []
    for entry in entries:
        line = entry.strip()
        if not line or line.startswith(("#", "-r ", "-c ")):
            continue
        requirement = Requirement(line.split("\\")[0].split("--hash")[0].strip())
        assert len(requirement.specifier) == 1 and next(iter(requirement.specifier)).operator == "==", \
            f"{name}: {line.splitlines()[0]} is not pinned exactly"
        pins[canonicalize_name(requirement.name)] = next(iter(requirement.specifier)).version
        if name.endswith(".txt") and "--hash=sha256:" not in entry:
            unhashed.append(requirement.name)
    return pins, unhashed


def test_every_pin_of_the_in_files_is_compiled_at_the_same_version_with_hashes():
    for source, compiled in (("site.in", "site.txt"), ("tests.in", "tests.txt")):
        wanted, _ = pins_in(source)
        locked, unhashed = pins_in(compiled)
        assert unhashed == []
        stale = {name: version for name, version in wanted.items() if locked.get(name) != version}
        assert stale == {}, f"{source} changed: run `invoke lock` and commit requirements/"


def test_the_tests_install_the_very_versions_the_site_builds_with():
    site, _ = pins_in("site.txt")
    tests, _ = pins_in("tests.txt")
    assert {name: tests.get(name) for name in site} == site


def test_deploys_install_no_test_tool():
    site, _ = pins_in("site.txt")
    only_for_tests, _ = pins_in("tests.in")
    assert not {"pytest", "playwright", "zizmor", "uv"} & set(site)
    assert set(only_for_tests) - set(pins_in("site.in")[0]) >= {"pytest", "playwright"}

