"""A build that wrote fewer articles than the content folder holds fails, naming every file left out.

Pelican logs a file it cannot read and carries on (exit 0 without
--fatal warnings). Here the articles Pelican wrote are compared with the
article files that should be live (Status published or hidden, date not in the
future), so a lost article can never go unnoticed. Drafts and scheduled
articles are named too, as information.
"""

from datetime import datetime

from pelican import signals

from content_check.content_check import MARKDOWN_SUFFIXES, content_files, current_time, read
from content_check.dates import read_date
from site_core.problems import ContentProblem, raise_if_any

written_sources = set()


def reset(pelican):
    written_sources.clear()


def remember_written(generator, content):
    written_sources.add(str(content.source_path))


def expected_state(content_file, now, with_future_dates):
    """('live', None) for a file that should be written, else (reason, detail)."""
    read(content_file, problems=[])  # the content check's own reading; it reported any problem already
    document = content_file.document
    if document is None:
        return "live", None
    status = (document.value("Status") or "published").lower()
    if status == "draft":
        return "draft", None
    date = read_date(document.value("Date") or "").value
    if isinstance(date, datetime) and date > now and not with_future_dates:
        return "scheduled", document.value("Date")
    return "live", None


def compare_with_content(pelican):
    settings = pelican.settings
    now = current_time(settings)
    problems, skipped = [], []
    articles = [f for f in content_files(settings)
                if f.kind == "article" and f.path.suffix.lower() in MARKDOWN_SUFFIXES]
    expected = 0
    for content_file in articles:
        state, detail = expected_state(content_file, now, settings.get("WITH_FUTURE_DATES", True))
        written = str(content_file.path) in written_sources
        if state == "live":
            expected += 1
            if not written:
                problems.append(ContentProblem(
                    content_file.shown, 1, "Bài này không được đăng: Pelican không đọc được tệp.",
                    "chạy `invoke check` để xem lỗi của tệp, và xem thông báo ERROR của Pelican ở phía trên."))
        elif state == "draft":
            skipped.append(f"Bản nháp, không đăng: {content_file.shown}")
        else:
            skipped.append(f"Bài hẹn giờ ({detail}), chưa đăng: {content_file.shown}")
    # Printed, not logged: Pelican shows only warnings by default, and a warning
    # would fail `--fatal warnings` although nothing is wrong.
    print("\n".join([*skipped, f"Đã đăng {len(written_sources)}/{expected} bài viết."]))
    if problems or len(written_sources) != expected:
        problems.append(ContentProblem(
            "content", 1, f"Trang chỉ ghi {len(written_sources)} bài trong khi có {expected} bài cần đăng.",
            "sửa các tệp nêu trên rồi dựng lại trang."))
    raise_if_any(problems)


def register():
    signals.initialized.connect(reset)
    signals.article_generator_write_article.connect(remember_written)
    signals.finalized.connect(compare_with_content)
