"""An unchanged site is not built again: its output comes back from cache/.

After a build that logged no warning, the output folder is kept in
CACHE_PATH/output/ (each file linked, not copied) with a key made of every input the build reads: each file
of the content folder, the theme, the plugins and site_core (path and bytes),
every setting, the Python version and every installed distribution's version
(Pelican's included). A later build whose key is the same, started before the
first article that was still scheduled then comes out, empties the output
folder as Pelican would (DELETE_OUTPUT_DIRECTORY, OUTPUT_RETENTION), links the
stored files back (unless one was written over in place since) and prints again what that build printed outside logging
(the content check's notices, the count of published articles). The output is
stored only if no input file changed while the build ran (by size and change
times: the content files are read once per build, for the key, and the check
takes those bytes).

It comes in through Pelican's PELICAN_CLASS setting, because it must decide
before the plugins start: the content check reads and converts every file when
Pelican is initialized. Anything else it leaves to the plain `Pelican`.
"""

from datetime import datetime
from importlib import metadata
from pathlib import Path
from zoneinfo import ZoneInfo
import hashlib
import io
import json
import logging
import os
import re
import shutil
import sys
import time

from pelican import Pelican
from pelican.log import console
from pelican.utils import clean_output_dir

import site_core
from site_core.dates import ISO_SHAPE, read_date
from site_core.disk_cache import stable_repr
from site_core.progress import counted, follow_verbosity, report_phase
from site_core.sources import READ_AHEAD

from .guard import reason_to_stay_off

FORMAT = "speedups.output_cache 1"
DATE_LINE = re.compile(r"^[ ]{0,3}date[ \t]*:[ \t]*(?P<value>.*?)\s*$", re.IGNORECASE)
SKIPPED_FOLDERS = {"__pycache__", ".git"}


def wanted(settings):
    """The output cache runs with the speed-ups, on a tested Pelican, where Pelican empties the output."""
    output, content = os.path.realpath(settings["OUTPUT_PATH"]), os.path.realpath(settings["PATH"])
    return bool(settings.get("SPEEDUPS") and settings.get("OUTPUT_CACHE", True)
                and "speedups" in settings.get("PLUGINS", ())
                and settings["DELETE_OUTPUT_DIRECTORY"]
                and os.path.commonpath([output]) != os.path.commonpath([output, content])
                and reason_to_stay_off() is None)


def site_time(settings):
    """Now, in the site's time zone, as the content check and Pelican compare article dates."""
    return datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).replace(tzinfo=None)


def header_date(data):
    """The `Date:` of a Markdown file's header, as written, or None."""
    header_end = data.find(b"\n\n")
    header = data if header_end < 0 else data[:header_end]
    for line in header.decode("utf-8-sig", "replace").splitlines():
        if not line.strip():
            return None
        found = DATE_LINE.match(line)
        if found:
            return found["value"]
    return None


def tree_files(folder):
    """(path relative to `folder`, path) of every file under it, in a fixed order."""
    folder = str(folder)
    for parent, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if name not in SKIPPED_FOLDERS)
        relative_parent = os.path.relpath(parent, folder).replace(os.sep, "/")
        for name in sorted(names):
            yield f"{relative_parent}/{name}", os.path.join(parent, name)


def file_stat(path_or_descriptor):
    found = os.stat(path_or_descriptor)
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino


class Inputs:
    """The key of a build and the moment its output stops being what a build would write."""

    def __init__(self, settings):
        self.settings = settings
        self.settings_text = stable_repr(settings)
        self.digest = hashlib.sha256(FORMAT.encode())
        self.now = site_time(settings)
        self.now_text = f"{self.now:%Y-%m-%d %H:%M}"
        self.valid_until = None  # the first scheduled article's date
        self.readable_dates = True
        self.trees = [("content", settings["PATH"]), ("theme", settings["THEME"])] + [
            (f"code {number}", folder)
            for number, folder in enumerate([*settings.get("PLUGIN_PATHS", []), Path(site_core.__file__).parent])]
        self.file_stats = []

    def add(self, label, text):
        self.digest.update(f"\0{label}\0{len(text)}\0".encode())
        self.digest.update(text.encode())

    def add_tree(self, label, folder, content=False):
        """Every file of `folder` into the key. The content's Markdown files are kept in READ_AHEAD
        for the content check, which would otherwise open each of them a second time."""
        for relative, path in tree_files(folder):
            with open(path, "rb") as opened:
                data = opened.read()
                self.file_stats.append((label, relative, file_stat(opened.fileno())))
            self.digest.update(f"\0{label}\0{relative}\0{len(data)}\0".encode())
            self.digest.update(data)
            if content:
                READ_AHEAD.keep(path, data)
                if path.endswith(".md"):
                    self.note_date(data)

    def unchanged(self):
        """Whether every file keyed is still there, as it was, and no file was added: compared by
        size and change times, so that the build's inputs are not opened a second time."""
        now = []
        for label, folder in self.trees:
            for relative, path in tree_files(folder):
                try:
                    now.append((label, relative, file_stat(path)))
                except OSError:
                    return False
        return now == self.file_stats

    def note_date(self, data):
        written = header_date(data)
        if written is None:
            return
        written = " ".join(written.split())
        if ISO_SHAPE.match(written) and written < self.now_text[:len(written)]:
            return  # past: compared as text, as ISO dates sort
        date = read_date(written).value
        if date is None:
            self.readable_dates = False
        elif date > self.now and (self.valid_until is None or date < self.valid_until):
            self.valid_until = date

    def key(self):
        settings = self.settings
        self.add("python", sys.version)
        self.add("distributions", "\n".join(sorted(
            f"{distribution.metadata['Name']}=={distribution.version}" for distribution in metadata.distributions())))
        self.add("settings", self.settings_text)
        for label, folder in self.trees:
            self.add_tree(label, folder, content=label == "content")
        return self.digest.hexdigest()


class PrintedLines(io.TextIOBase):
    """sys.stdout during a build: passes everything on and keeps what was printed
    (Pelican's log lines go to its console, pointed past this)."""

    def __init__(self, stream):
        self.stream = stream
        self.kept = []

    def write(self, text):
        self.kept.append(text)
        return self.stream.write(text)

    def flush(self):
        self.stream.flush()

    def isatty(self):
        return self.stream.isatty()


class WarningCount(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def link_or_copy(source, destination):
    """A second name for the file, not a second copy: copying a site's output took 1.0 s
    at 1,000 articles, linking 0.1 s. Copied where the two folders are on different disks."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def tree_stamp(folder):
    """Every file's path, size and modification time: a file written in place since
    (the editor preview rewrites pages of output/, which may share their data with the
    stored copy) changes the stamp."""
    digest = hashlib.sha256()
    for relative, path in tree_files(folder):
        stat = os.stat(path)
        digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


class StoredOutput:
    """CACHE_PATH/output/: `site/`, the last good build's output, and `entry.json`."""

    def __init__(self, settings):
        self.folder = Path(settings["CACHE_PATH"]) / "output"
        self.site = self.folder / "site"
        self.entry = self.folder / "entry.json"

    def matching(self, key, now):
        """The stored entry if it was built from `key`, is still what a build would write
        now and has not been written over since."""
        try:
            entry = json.loads(self.entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if entry.get("key") != key or not self.site.is_dir():
            return None
        if entry["valid_until"] and now >= datetime.fromisoformat(entry["valid_until"]):
            return None
        if entry.get("stamp") != tree_stamp(self.site):
            return None
        return entry

    def store(self, output_path, retention, key, printed, valid_until):
        self.forget()
        incoming = self.folder / "site.incoming"
        shutil.rmtree(incoming, ignore_errors=True)
        shutil.copytree(output_path, incoming, copy_function=link_or_copy, ignore=lambda folder, names: (
            [name for name in names if name in retention] if os.path.samefile(folder, output_path) else []))
        incoming.rename(self.site)
        self.entry.write_text(json.dumps({"key": key, "printed": printed, "stamp": tree_stamp(self.site),
                                          "valid_until": valid_until.isoformat() if valid_until else None}),
                              encoding="utf-8")

    def forget(self):
        self.entry.unlink(missing_ok=True)
        shutil.rmtree(self.site, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)

    def restore(self, output_path, retention):
        clean_output_dir(output_path, retention)
        shutil.copytree(self.site, output_path, dirs_exist_ok=True, copy_function=link_or_copy)
        return sum(len(names) for _, _, names in os.walk(self.site))


class CachedPelican(Pelican):
    """Pelican, except that an unchanged site's output is restored from cache/."""

    def __init__(self, settings):
        self.restorable = None
        self.inputs = None
        if wanted(settings):
            started = time.perf_counter()
            self.inputs = Inputs(settings)
            self.key = self.inputs.key()
            self.stored = StoredOutput(settings)
            self.restorable = self.stored.matching(self.key, self.inputs.now)
            self.keying_seconds = time.perf_counter() - started
        if self.restorable is not None:
            self.settings = settings
            self.output_path = settings["OUTPUT_PATH"]
            self.output_retention = settings["OUTPUT_RETENTION"]
            return
        self.printed = PrintedLines(sys.stdout)
        self.warnings = WarningCount()
        if self.inputs is not None:
            self.record()
        super().__init__(settings)

    def record(self):
        console.file = sys.stdout
        sys.stdout = self.printed
        logging.getLogger().addHandler(self.warnings)

    def stop_recording(self):
        if sys.stdout is self.printed:
            sys.stdout = self.printed.stream
        console.file = None
        logging.getLogger().removeHandler(self.warnings)

    def run(self):
        if self.restorable is not None:
            return self.restore()
        if self.inputs is None:
            return super().run()
        try:
            super().run()
        finally:
            self.stop_recording()
        self.store_output()

    def restore(self):
        READ_AHEAD.clear()
        follow_verbosity()
        started = time.perf_counter()
        count = self.stored.restore(self.output_path, self.output_retention)
        sys.stdout.write("".join(self.restorable["printed"]))
        report_phase("Trang không đổi, lấy lại từ cache/", [counted(count, "tệp")],
                     self.keying_seconds + time.perf_counter() - started)

    def store_output(self):
        """Keep the output of a clean build whose inputs did not change while it ran."""
        self.stored.forget()
        if self.warnings.count or not self.inputs.readable_dates:
            return
        if not self.inputs.unchanged():
            return
        self.stored.store(self.output_path, self.output_retention, self.key, self.printed.kept,
                          self.inputs.valid_until)
