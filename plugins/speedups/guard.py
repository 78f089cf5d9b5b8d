"""Whether the speed-ups may run on the installed Pelican.

They were measured and tested against Pelican 4.12.x, and several of them lean
on Pelican code that is not a documented extension point (speedups.pins). On
any other version, or when that code changed, they stay off: the build is then
plain Pelican, correct and slower.
"""

import re

import pelican

from .pins import changed_sources

TESTED_SERIES = ((4, 12),)


def version_tested(version):
    match = re.match(r"(\d+)\.(\d+)", version)
    return bool(match) and (int(match[1]), int(match[2])) in TESTED_SERIES


def reason_to_stay_off():
    """None when the speed-ups may run; otherwise why not, in one sentence."""
    version = pelican.__version__
    tested = ", ".join(f"{major}.{minor}.x" for major, minor in TESTED_SERIES)
    if not version_tested(version):
        return f"Pelican {version} chưa được thử với phần tăng tốc (đã thử: {tested})"
    changed = changed_sources()
    if changed:
        return f"mã Pelican mà phần tăng tốc dựa vào đã khác bản đã thử ({', '.join(changed)})"
    return None
