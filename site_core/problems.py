"""A problem found in an editor's file, with where it is and how to fix it.

Plugins collect every problem they find and raise them together, so one build
reports all mistakes at once instead of stopping at the first.
"""

from dataclasses import dataclass
import logging
import os
import sys


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


class WithoutTraceback(logging.Filter):
    """Pelican logs whatever stops a build with its traceback. An editor's mistakes
    (ContentProblems) are shown as their report only, and the stop that
    `--fatal warnings` causes as one sentence pointing at the message above it."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, ContentProblems):
            record.msg, record.args, record.exc_info = "%s", (error.report(),), None
        elif isinstance(error, RuntimeError) and str(error) == "Warning or error encountered":
            record.msg, record.args, record.exc_info = "%s", (
                "Dừng dựng trang vì thông báo WARNING/ERROR ở trên (--fatal warnings).",), None
        return True


class UnreadFileInVietnamese(logging.Filter):
    """Pelican's "Could not process <file>" (logged without its reason) as
    `content/<file>:1: …` in Vietnamese, with the reason, which is still at hand
    while Pelican logs it from inside its `except` block."""

    def filter(self, record):
        if record.msg == "Could not process %s" and record.args:
            error = sys.exc_info()[1]
            reason = f" ({error})" if error is not None and str(error) else ""
            record.msg, record.args = "%s", (
                f"content/{record.args[0]}:1: Pelican không đọc được tệp này{reason}, bài sẽ không được đăng.\n"
                "    Cách sửa: chạy `invoke check` để xem lỗi của tệp; nếu không có lỗi nào, "
                "gửi thông báo này cho người quản trị trang.",)
        return True


def report_without_traceback():
    """Install the filters on Pelican's loggers once (plugins call it from register())."""
    for name, kind in (("pelican", WithoutTraceback), ("pelican.generators", UnreadFileInVietnamese)):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, kind) for existing in logger.filters):
            logger.addFilter(kind())
