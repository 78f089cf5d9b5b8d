"""A build that wrote fewer articles than the content folder holds fails, naming every file left out.

Pelican logs a file it cannot read and carries on (exit 0 without
--fatal warnings). Here the article files found with Pelican's own rules
(site_core.sources.discover, no file is opened; the content check's discovery at
the start of the build when it ran) are compared with the article generator's
lists: a file in none of them was not read, and an article in them
that was not written was lost. Drafts and scheduled articles are named too, as
information.
"""

import os

from pelican import signals

from site_core.problems import ContentProblem, raise_if_any, relative_source, report_without_traceback
from site_core.sources import BUILD_SOURCES


class Completeness:
    def __init__(self):
        self.written, self.live, self.drafts, self.read = set(), [], [], set()

    def reset(self, pelican):
        self.__init__()

    def collect(self, generator):
        self.live = [*generator.articles, *generator.hidden_articles]
        self.drafts = list(generator.drafts)
        self.read = {os.path.abspath(article.source_path) for article in [*self.live, *self.drafts]}

    def remember_written(self, generator, content):
        self.written.add(os.path.abspath(content.source_path))

    def compare(self, pelican):
        settings = pelican.settings
        problems, skipped = [], []
        unread = [path for kind, path in BUILD_SOURCES.discovery(settings)
                  if kind == "article" and path not in self.read]
        for path in unread:
            problems.append(ContentProblem(
                relative_source(path, settings), 1, "Bài này không được đăng: Pelican không đọc được tệp.",
                "chạy `invoke check` để xem lỗi của tệp, và xem thông báo ERROR của Pelican ở phía trên."))
        for article in sorted(self.live, key=lambda article: article.source_path):
            if os.path.abspath(article.source_path) not in self.written:
                problems.append(ContentProblem(relative_source(article.source_path, settings), 1,
                                               "Bài này đã đọc được nhưng không được ghi ra trang.",
                                               "xem thông báo ERROR của Pelican ở phía trên."))
        for draft in sorted(self.drafts, key=lambda article: article.source_path):
            shown = relative_source(draft.source_path, settings)
            if str(draft.metadata.get("status", "")).lower() == "draft":
                skipped.append(f"Bản nháp, không đăng: {shown}")
            else:
                skipped.append(f"Bài hẹn giờ ({scheduled_date(draft)}), chưa đăng: {shown}")
        expected = len(self.live) + len(unread)
        # Printed, not logged: Pelican shows only warnings by default, and a warning
        # would fail `--fatal warnings` although nothing is wrong.
        print("\n".join([*skipped, f"Đã đăng {len(self.written)}/{expected} bài viết."]))
        if problems or len(self.written) != expected:
            problems.append(ContentProblem(
                "content", 1, f"Trang chỉ ghi {len(self.written)} bài trong khi có {expected} bài cần đăng.",
                "sửa các tệp nêu trên rồi dựng lại trang."))
        raise_if_any(problems)


def scheduled_date(article):
    source = BUILD_SOURCES.get(article.source_path)
    written = source.value("Date") if source else None
    return written or article.date.strftime("%Y-%m-%d %H:%M")


current_build = Completeness()


def register():
    report_without_traceback()
    signals.initialized.connect(current_build.reset)
    signals.article_generator_finalized.connect(current_build.collect)
    signals.article_generator_write_article.connect(current_build.remember_written)
    signals.finalized.connect(current_build.compare)
