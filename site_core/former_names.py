"""An agency's former names, and which name it bore on a given day.

Editors write them on one line, separated by semicolons, each optionally
followed by the dates it was used:

    Former_names: Tên mới nhất trước đây (từ 2005-01-01 đến 2012-01-01); Tên đầu tiên (đến 2005-01-01); Tên không rõ năm

"đến" is the day the next name took effect, so an article of that very day
already shows the next name. A name without dates is listed on the profile but
never chosen for an article, since nobody knows when it applied.
"""

from dataclasses import dataclass
from datetime import date
import html
import re
import unicodedata

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TRAILING_PARENTHESES = re.compile(r"^(?P<name>.*?)\s*\((?P<inside>[^()]*)\)\s*$")
DATE_WORDS = re.compile(r"^(từ|đến)\b", re.IGNORECASE)
DATE_RANGE = re.compile(r"^(?:từ\s+(?P<since>\S+)\s+)?đến\s+(?P<until>\S+)$", re.IGNORECASE)
FORMAT_EXAMPLE = "Tên cũ (đến 2012-01-01) hoặc Tên cũ (từ 2005-01-01 đến 2012-01-01)"


class FormerNameError(ValueError):
    """A former-names entry an editor must correct; the text says how."""


@dataclass(frozen=True)
class FormerName:
    name: str
    since: date | None = None
    until: date | None = None

    @property
    def is_dated(self):
        return self.until is not None

    def applies_on(self, day):
        return self.is_dated and (self.since is None or self.since <= day) and day < self.until


def parse_day(text):
    """A strict ISO day (2025-03-01); None if the text is anything else."""
    text = text.strip()
    if not ISO_DAY.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def metadata_entries(value):
    """Entries of a list-like metadata value: one line separated by `separator`,
    or several lines (Python-Markdown gives a list for continuation lines)."""
    lines = value if isinstance(value, list) else [value]
    return [unicodedata.normalize("NFC", line) for line in lines]


def split_entries(value, separator):
    return [entry.strip() for line in metadata_entries(value) for entry in line.split(separator) if entry.strip()]


def parse_former_name(entry):
    match = TRAILING_PARENTHESES.match(entry)
    if not match or not DATE_WORDS.match(match.group("inside").strip()):
        return FormerName(entry)
    dates = DATE_RANGE.match(match.group("inside").strip())
    if not dates:
        raise FormerNameError(f'Tên cũ "{entry}": phần ngày trong ngoặc viết chưa đúng.')
    since_text, until_text = dates.group("since"), dates.group("until")
    since = parse_day(since_text) if since_text else None
    until = parse_day(until_text)
    for text, day in ((since_text, since), (until_text, until)):
        if text and day is None:
            raise FormerNameError(f'Tên cũ "{entry}": ngày "{text}" không đúng dạng năm-tháng-ngày.')
    if since is not None and since >= until:
        raise FormerNameError(f'Tên cũ "{entry}": ngày "từ" phải trước ngày "đến".')
    return FormerName(match.group("name"), since, until)


def overlapping_pairs(former_names):
    dated = sorted((name for name in former_names if name.is_dated), key=lambda name: name.until)
    return [(earlier, later) for earlier, later in zip(dated, dated[1:])
            if later.since is None or later.since < earlier.until]


def parse_former_names(value):
    """(former names, error texts). Every entry is checked, so all mistakes show at once."""
    names, errors = [], []
    for entry in split_entries(value, ";"):
        try:
            names.append(parse_former_name(entry))
        except FormerNameError as error:
            errors.append(str(error))
    for earlier, later in overlapping_pairs(names):
        errors.append(f'Tên cũ "{earlier.name}" và "{later.name}" có khoảng thời gian chồng lên nhau.')
    return names, errors


def name_on(day, current_name, former_names):
    """The name (HTML) an agency bore on `day`: a dated former name covering it,
    else its current name (already HTML, as Pelican's titles are)."""
    for former in former_names:
        if former.applies_on(day):
            return html.escape(former.name, quote=False)
    return current_name
