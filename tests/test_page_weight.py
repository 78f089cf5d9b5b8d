"""The reference article stays light for slow links: at most 30 KB gzipped of
HTML, CSS and JS, and one render-blocking request (the stylesheet)."""

from bench.page_weight import BUDGET_BYTES, REFERENCE_ARTICLE, measure


def test_reference_article_fits_the_budget_with_one_blocking_stylesheet(shipped_site):
    rows = measure(shipped_site.output, REFERENCE_ARTICLE)
    assert sum(row["gzipped"] for row in rows) <= BUDGET_BYTES
    assert [row["url"] for row in rows if row["render_blocking"]] == ["/theme/css/site.css"]
    assert {row["kind"] for row in rows} == {"html", "css", "js"}


def test_weight_check_counts_every_blocking_stylesheet_and_head_script(tmp_path):
    (tmp_path / "a.css").write_text("body{}")
    (tmp_path / "b.js").write_text("1")
    (tmp_path / "page.html").write_text(
        '<!doctype html><html><head><link rel="stylesheet" href="/a.css">'
        '<link rel="stylesheet" href="/a.css" media="print"><script src="/b.js"></script></head>'
        '<body><script src="/b.js" defer></script></body></html>')
    rows = measure(tmp_path, "page.html")
    assert [(row["url"], row["render_blocking"]) for row in rows] == [
        ("page.html", False), ("/a.css", True), ("/a.css", False), ("/b.js", True), ("/b.js", False)]
