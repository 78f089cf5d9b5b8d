"""Progress of long builds: one line when reading ends and one when writing ends.

Reading runs from Pelican's start (the content check included) to the moment
every generator is finalized; writing from the first file written to Pelican's
`finalized` signal.
Later phases (photos, search index) report themselves through
site_core.progress. Nothing is printed with `pelican -q`.
"""

import time

from pelican import signals

from site_core.progress import counted, follow_verbosity, report_phase
from site_core.quick_builds import content_kept


class BuildClock:
    def __init__(self):
        self.reading_started = self.writing_started = None
        self.writing = False
        self.files_written = 0

    def start(self, pelican):
        follow_verbosity()
        self.reading_started = time.perf_counter()
        self.writing_started = None
        self.writing = False
        self.files_written = 0

    def reading_done(self, generators):
        if self.reading_started is None:
            return
        articles = sum(len(getattr(generator, "articles", ())) for generator in generators)
        pages = sum(len(getattr(generator, "pages", ())) for generator in generators)
        report_phase("Đọc nội dung", [counted(articles, "bài viết"), counted(pages, "trang")],
                     time.perf_counter() - self.reading_started)
        self.reading_started = None
        self.writing = True

    def file_written(self, path, **_):
        # The clock starts at the first file, so phases between reading and writing
        # (photos) are not counted twice.
        if self.writing and self.writing_started is None:
            self.writing_started = time.perf_counter()
        self.files_written += 1

    def writing_done(self, pelican):
        if self.writing_started is None:
            return
        report_phase("Ghi trang", [counted(self.files_written, "tệp")], time.perf_counter() - self.writing_started)
        self.writing_started, self.writing = None, False


CLOCK = BuildClock()


def register():
    signals.initialized.connect(CLOCK.start)
    signals.all_generators_finalized.connect(CLOCK.reading_done)
    signals.content_written.connect(CLOCK.file_written)
    content_kept.connect(CLOCK.file_written)
    signals.feed_written.connect(CLOCK.file_written)
    signals.finalized.connect(CLOCK.writing_done)
