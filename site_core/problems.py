"""A problem found in an editor's file, with where it is and how to fix it.

Plugins collect every problem they find and raise them together, so one build
reports all mistakes at once instead of stopping at the first.
"""

from dataclasses import dataclass
import os
import re


@dataclass(frozen=True, order=True)
class ContentProblem:
    path: str
    line: int
    message: str
    fix: str = ""

    def __str__(self):
        text = f"{self.path}:{self.line}: {self.message}"
        return f"{text}\n    Cách sửa: {self.fix}" if self.fix else text


class ContentProblems(Exception):
    """Raised with every problem found; its text is the report an editor reads."""

    def __init__(self, problems):
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self):
        heading = f"Nội dung có {len(self.problems)} lỗi, cần sửa trước khi đăng:"
        return "\n".join([heading, *map(str, self.problems)])


def raise_if_any(problems):
    if problems:
        raise ContentProblems(problems)


def relative_source(source_path, settings):
    """The file as an editor names it: relative to the site folder, e.g. content/articles/x.md."""
    site_root = os.path.dirname(settings["PATH"])
    return os.path.relpath(source_path, site_root).replace(os.sep, "/")


def front_matter_line(source_path, key):
    """Line number (1-based) of a front-matter key, or 1 when the key is absent."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:", re.IGNORECASE)
    with open(source_path, encoding="utf-8") as source:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                break
            if pattern.match(line):
                return number
    return 1
