"""Save-to-preview time: one article saved on a large site, until the warm
preview process (editor_tools/live_preview, as `invoke livereload` runs it) has rewritten
its page, its category's pages and the home page."""

from pathlib import Path
from statistics import median
import sys
import time

SITE_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(SITE_ROOT), str(SITE_ROOT / "plugins")]

from editor_tools.live_preview import PreviewProcess  # noqa: E402

SETTINGS = """import sys
sys.path.insert(0, {site_root!r})
from pelicanconf import *
PATH = {content!r}
"""


def save_to_preview_seconds(content, repeat=3):
    content = Path(content)
    root = content.parent
    settings = root / "preview_settings.py"
    settings.write_text(SETTINGS.format(site_root=str(SITE_ROOT), content=str(content)), encoding="utf-8")
    article = sorted((content / "articles").rglob("*.md"))[len(list((content / "articles").rglob("*.md"))) // 2]
    original = article.read_text(encoding="utf-8")
    preview = PreviewProcess(settings, root / "output-preview")
    times = []
    try:
        assert preview.start().startswith("done"), "the preview's first full build failed"
        for attempt in range(repeat):
            article.write_text(original.replace("Title: ", f"Title: Bản sửa {attempt} ", 1), encoding="utf-8")
            started = time.perf_counter()
            reply = preview.rebuild()
            times.append(time.perf_counter() - started)
            assert reply.startswith("done") and "1 article" in reply, reply
            page = root / "output-preview" / "tin-tuc" / f"{article.stem}.html"
            assert f"Bản sửa {attempt}" in page.read_text(encoding="utf-8")
    finally:
        article.write_text(original, encoding="utf-8")
        preview.stop()
    return median(times)


if __name__ == "__main__":
    from bench.run import corpus_for
    print(f"{save_to_preview_seconds(corpus_for(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)):.2f} s")
