"""Old addresses of a moved article lead readers and search engines to the new one."""

import pytest

from site_labels import load_labels
from support.site_build import SITE_ROOT, article_source, build_site


def moved_article(title, date, redirect_from):
    """An article whose front matter ends with the Redirect_from line, as editors write it."""
    return article_source(title, date).replace("\n\n", f"\nRedirect_from: {redirect_from}\n\n", 1)


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("redirects"), {
        "articles/ten-moi.md": moved_article('Hội nghị "đổi mới" năm 2024', "2024-02-01",
                                             "/tin-tuc/ten-cu.html, /tin-tuc/ten-rat-cu.htm,/bai-viet/123/"),
        "articles/khac.md": moved_article("Tin khác", "2024-02-02", "/tin-tuc/cu-khong-duoi"),
        "pages/gioi-thieu.md": "Title: Giới thiệu\nRedirect_from: /gioi-thieu-cu.html\n\nTrang giới thiệu.\n",
    })
    assert site.ok, site.log
    return site


@pytest.mark.parametrize("old_file", ["tin-tuc/ten-cu.html", "tin-tuc/ten-rat-cu.htm", "bai-viet/123/index.html"])
def test_every_old_path_gets_a_page_that_sends_the_reader_to_the_article(moved, old_file):
    page = moved.page(old_file)
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh["content"] == "0; url=/tin-tuc/ten-moi.html"
    assert page.find("link", rel="canonical")["href"] == "/tin-tuc/ten-moi.html"
    link = page.body.find("a", href="/tin-tuc/ten-moi.html")
    assert link.get_text() == 'Hội nghị “đổi mới” năm 2024'
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_the_redirect_page_speaks_vietnamese_from_the_label_file(moved):
    labels = load_labels(SITE_ROOT / "theme" / "labels.toml")
    page = moved.page("tin-tuc/ten-cu.html")
    assert page.html["lang"] == "vi"
    assert page.body.p.get_text().startswith(labels["redirect_text"])
    assert page.title.get_text().startswith(labels["redirect_title"])


def test_an_old_path_without_a_file_name_becomes_a_folder_and_pages_can_move_too(moved):
    target = moved.page("tin-tuc/cu-khong-duoi/index.html").find("link", rel="canonical")["href"]
    assert target == "/tin-tuc/khac.html"
    assert moved.page("gioi-thieu-cu.html").find("link", rel="canonical")["href"] == "/gioi-thieu.html"


def test_redirect_pages_stay_out_of_the_sitemap(moved):
    sitemap = (moved.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "ten-moi.html" in sitemap
    assert "ten-cu" not in sitemap and "bai-viet" not in sitemap


def test_production_redirects_point_to_the_absolute_address(tmp_path):
    site = build_site(tmp_path, {"articles/moi.md": moved_article("Tin", "2024-02-01", "/cu.html")},
                      settings="publishconf", env={"SITE_URL": "https://tin.example.net"})
    assert site.ok, site.log
    assert site.page("cu.html").find("link", rel="canonical")["href"] == "https://tin.example.net/tin-tuc/moi.html"


def test_a_redirect_never_replaces_a_real_page_and_every_mistake_is_reported_at_once(tmp_path):
    site = build_site(tmp_path, {
        "articles/mot.md": moved_article("Tin một", "2024-02-01",
                                         "/tin-tuc/hai.html, /chuyen-muc/van-ban/, /feeds/tat-ca.atom.xml, /404.html/cu/"),
        "articles/hai.md": moved_article("Tin hai", "2024-02-02", "/tin-tuc/hai.html"),
        "articles/ba.md": moved_article("Tin ba", "2024-02-03", "https://mattran.example/cu.html, ../x.html"),
        "pages/gioi-thieu.md": "Title: Giới thiệu\n\nTrang giới thiệu.\n",
    })
    assert not site.ok
    assert "Nội dung có 7 lỗi" in site.log
    assert "content/articles/mot.md:4: Đường dẫn cũ \"/tin-tuc/hai.html\" đang là một trang thật" in site.log
    assert "\"/chuyen-muc/van-ban/\" đang là một trang thật" in site.log
    assert "\"/feeds/tat-ca.atom.xml\" không hợp lệ" in site.log
    assert "\"/404.html/cu/\" đang là một trang thật" in site.log
    assert "content/articles/hai.md:4: Đường dẫn cũ \"/tin-tuc/hai.html\" chính là địa chỉ hiện tại" in site.log
    assert "content/articles/ba.md:4: Đường dẫn cũ \"https://mattran.example/cu.html\" không hợp lệ" in site.log
    assert "\"../x.html\" không hợp lệ" in site.log
    assert "Cách sửa:" in site.log


def test_two_articles_cannot_claim_the_same_old_path(tmp_path):
    site = build_site(tmp_path, {
        "articles/mot.md": moved_article("Tin một", "2024-02-01", "/tin-tuc/cu.html"),
        "articles/hai.md": moved_article("Tin hai", "2024-02-02", "/tin-tuc/cu.html"),
    })
    assert not site.ok
    for source in ("content/articles/mot.md:4", "content/articles/hai.md:4"):
        assert f"{source}: Đường dẫn cũ \"/tin-tuc/cu.html\" được khai báo ở nhiều bài" in site.log
    assert not (site.output / "tin-tuc" / "cu.html").exists()
