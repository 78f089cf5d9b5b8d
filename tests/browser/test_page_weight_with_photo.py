"""On a 360 px phone at DPR 2, an article with one 12-megapixel phone photo transfers
at most 250 KB in all, measured in Chromium (bench/page_weight.py)."""

import re
import shutil

from bench.page_weight import PHONE_BUDGET_BYTES, REFERENCE_ARTICLE, REFERENCE_PHOTO, transferred


def test_a_phone_downloads_at_most_250_kb_for_an_article_with_a_12_megapixel_photo(browser, photo_article_site_url):
    url, site = photo_article_site_url
    assert (site.content / REFERENCE_PHOTO).stat().st_size > 2_000_000  # a phone-sized original, not a thumbnail
    rows = transferred(browser, f"{url}/{REFERENCE_ARTICLE}")
    photos = [row for row in rows if row["type"] == "image" and row["url"].endswith(".webp")]
    assert [re.search(r"-(\d+)\.[0-9a-f]{10}\.webp$", row["url"]).group(1) for row in photos] == ["720"]
    assert {row["type"] for row in rows} >= {"document", "stylesheet", "image"}
    assert sum(row["bytes"] for row in rows) <= PHONE_BUDGET_BYTES, rows


def test_the_weight_check_reports_a_page_that_sends_the_original_photo(browser, photo_article_site_url):
    url, site = photo_article_site_url
    shutil.copy(site.content / REFERENCE_PHOTO, site.output / "anh-goc.jpg")
    (site.output / "anh-goc.html").write_text(
        '<!doctype html><html lang="vi"><title>Ảnh gốc</title><img src="/anh-goc.jpg" alt="Ảnh gốc"></html>',
        encoding="utf-8")
    rows = transferred(browser, f"{url}/anh-goc.html")
    assert sum(row["bytes"] for row in rows) > PHONE_BUDGET_BYTES
