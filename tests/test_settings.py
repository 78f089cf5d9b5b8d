"""Settings that editors never see but readers depend on."""

import subprocess
import sys

from support.site_build import SITE_ROOT, article_source, build_site


def test_production_settings_build_from_any_folder_with_absolute_urls(tmp_path):
    site = build_site(tmp_path, {"articles/mot.md": article_source("Tin một", "2024-02-01")},
                      settings="publishconf")
    assert site.ok, site.log
    page = site.page("tin-tuc/mot.html")
    assert page.select_one(".back-link a")["href"] == "https://example.org/chuyen-muc/hoat-dong-cua-nganh/"


def test_publishconf_imports_pelicanconf_by_its_own_folder(tmp_path):
    probe = "import runpy; s = runpy.run_path(%r); print(s['TIMEZONE'], s['SITEURL'])" % str(SITE_ROOT / "publishconf.py")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert result.stdout.split() == ["Asia/Ho_Chi_Minh", "https://example.org"], result.stderr


def test_dates_are_day_first_in_vietnam_time(tmp_path):
    site = build_site(tmp_path, {"articles/mot.md": article_source("Tin một", "2024-02-01 20:30")})
    assert site.ok, site.log
    time = site.page("tin-tuc/mot.html").select_one(".article-date time")
    assert time.get_text() == "20:30 01/02/2024"  # day first, with the time of posting
    assert time["datetime"] == "2024-02-01T20:30:00+07:00"


def test_pages_are_vietnamese_and_declare_their_encoding(shipped_site):
    for path in shipped_site.html_files():
        page = shipped_site.page(path)
        assert page.html["lang"] == "vi", path
        assert page.find("meta", charset="utf-8") is not None, path
        assert len(page.find_all("h1")) == 1, path
