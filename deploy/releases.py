"""Atomic releases on a web server, reached by rsync over SSH or on a local path.

Layout of the target folder (the web server serves `current/`):

    releases/<release>/            one complete copy of the site per publish
    releases/<release>.partial/    an upload in progress; never served
    current -> releases/<release>  switched in one rename, so readers see the
                                   old site or the new one, never a mix

The same shell scripts run on the server through ssh or, for a local target,
through the local shell: tests exercise exactly what production runs.
"""

from dataclasses import dataclass
from datetime import datetime, timezone
import os
import re
import shlex
import subprocess

DEFAULT_KEEP = 5
PARTIAL = ".partial"
RELEASE_NAME = re.compile(r"^[0-9]{8}T[0-9]{6}Z(-[0-9a-f]+)?(\.[0-9]+)?$")

# Lists what is on the target and clears uploads that never finished (they were never live).
SURVEY = r"""
set -eu
mkdir -p "$1/releases"
cd "$1"
rm -rf releases/*.partial
if [ -L current ]; then echo "current $(basename "$(readlink current)")"; fi
for release in releases/*; do [ -d "$release" ] && echo "release ${release#releases/}"; done
exit 0
"""

# Makes a release live: a new symlink renamed over `current` (rename is atomic),
# then removes all but the newest KEEP releases, never the live one.
ACTIVATE = r"""
set -eu
cd "$1"
release=$2
keep=$3
if [ -d "releases/$release.partial" ]; then mv "releases/$release.partial" "releases/$release"; fi
[ -f "releases/$release/index.html" ] || { echo "releases/$release has no index.html; not switching" >&2; exit 1; }
ln -sfn "releases/$release" current.switching
mv -T current.switching current
ls -1 releases | LC_ALL=C sort -r | grep -v '\.partial$' | tail -n +"$((keep + 1))" |
  while read -r old; do [ "$old" = "$release" ] || rm -rf "releases/$old"; done
"""


class PublishError(Exception):
    pass


@dataclass(frozen=True)
class Target:
    """`user@host:/srv/www/site` (rsync over ssh) or a local folder `/srv/www/site`."""

    spec: str
    ssh: str = "ssh"

    @property
    def host(self):
        head, colon, _ = self.spec.partition(":")
        return head if colon and "/" not in head else None

    @property
    def root(self):
        return self.spec.split(":", 1)[1] if self.host else os.path.abspath(self.spec)

    def shell(self, script, *args):
        """Run a shell script with arguments on the target; its output."""
        command = shlex.join(["sh", "-c", script, "sh", *map(str, args)])
        argv = [*shlex.split(self.ssh), self.host, command] if self.host else ["sh", "-c", command]
        result = subprocess.run(argv, capture_output=True, text=True)
        if result.returncode != 0:
            raise PublishError(f"{self.spec}: {result.stderr.strip() or 'exit ' + str(result.returncode)}")
        return result.stdout

    def rsync_path(self, path):
        return f"{self.host}:{path}" if self.host else path


@dataclass(frozen=True)
class Survey:
    current: str | None
    releases: tuple


def survey(target):
    current, releases = None, []
    for line in target.shell(SURVEY, target.root).splitlines():
        kind, _, name = line.partition(" ")
        if kind == "current":
            current = name
        elif kind == "release" and RELEASE_NAME.match(name):
            releases.append(name)
    return Survey(current, tuple(sorted(releases)))


def new_release_name(existing, commit="", now=None):
    """`20261126T070100Z-<commit>`: sorts by time and always after every existing
    release, so the newest release is the live one even when publishes share a
    second or the clock goes back; a `.NNN` suffix keeps such names apart."""
    now = now or datetime.now(timezone.utc)
    name = now.strftime("%Y%m%dT%H%M%SZ") + (f"-{commit}" if commit else "")
    latest = max(existing, default="")
    base, candidate, number = max(name, latest.split(".")[0]), name, 0
    while candidate <= latest:
        number += 1
        candidate = f"{base}.{number:03d}"
    return candidate


def upload(target, output, release, link_to=None, rsync_options=()):
    """Copy output/ into releases/<release>.partial; unchanged files become hard links to `link_to`."""
    if not os.path.isfile(os.path.join(output, "index.html")):
        raise PublishError(f"{output} has no index.html: build the site first")
    argv = ["rsync", "--recursive", "--links", "--perms", "--chmod=D755,F644",
            "--checksum", "--delete", *rsync_options]
    if target.host:
        argv += ["-e", target.ssh]
    if link_to:
        argv.append(f"--link-dest=../{link_to}/")  # relative to the release folder
    argv += [output.rstrip("/") + "/", target.rsync_path(f"{target.root}/releases/{release}{PARTIAL}/")]
    if subprocess.run(argv).returncode != 0:
        raise PublishError("upload failed or was interrupted; the live site is unchanged")


def activate(target, release, keep):
    target.shell(ACTIVATE, target.root, release, int(keep))


def publish(target, output, keep=DEFAULT_KEEP, commit="", rsync_options=()):
    """Upload output/ as a new release and make it live; returns its name."""
    if int(keep) < 1:
        raise PublishError("keep at least one release")
    state = survey(target)
    release = new_release_name(state.releases, commit)
    upload(target, output, release, link_to=state.current, rsync_options=rsync_options)
    activate(target, release, keep)
    return release


def rollback(target, release=None):
    """Make the release before the live one (or the one named) live again; returns its name."""
    state = survey(target)
    if release is None:
        if state.current not in state.releases:
            raise PublishError("no live release to roll back from")
        position = state.releases.index(state.current)
        if position == 0:
            raise PublishError(f"{state.current} is the oldest release kept; nothing to roll back to")
        release = state.releases[position - 1]
    elif release not in state.releases:
        raise PublishError(f"no release {release}; kept: {', '.join(state.releases)}")
    activate(target, release, len(state.releases))
    return release
