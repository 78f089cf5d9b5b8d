"""Quality gates on the built sites: valid HTML and no broken links, on the shipped
content and on a fixture with many articles; each gate reports a page that breaks it."""

from support.reader_pages import LINK_START_PATHS
from support.site_checks import broken_links, html_errors
from support.static_server import serve_folder


def test_shipped_site_has_no_html_validator_errors(shipped_site):
    assert html_errors(shipped_site.output) == []


def test_many_articles_site_has_no_html_validator_errors(many_articles_site):
    assert html_errors(many_articles_site.output) == []


def test_html_validator_reports_a_duplicate_id(defective_site):
    errors = html_errors(defective_site.output)
    assert any(e["file"] == "tin-tuc/trung-id.html" and "Duplicate ID" in e["message"] for e in errors), errors


def linked_pages(site):
    """The address of every page a reader can reach by links: all but redirects (an old
    address, a listing's /trang-1/), which nothing links to on purpose."""
    return {"/" + path.removesuffix("index.html") for path in site.html_files()
            if not site.page(path).find("meta", attrs={"http-equiv": "refresh"})}


def test_shipped_site_has_no_broken_links_or_images(shipped_site):
    with serve_folder(shipped_site.output) as url:
        broken, checked = broken_links(url, LINK_START_PATHS)
    assert broken == []
    assert linked_pages(shipped_site) - checked == set()


def test_many_articles_site_has_no_broken_links_or_images(many_articles_site):
    with serve_folder(many_articles_site.output) as url:
        broken, checked = broken_links(url, LINK_START_PATHS)
    assert broken == []
    assert linked_pages(many_articles_site) - checked == set()


def test_link_checker_reports_a_broken_link_and_a_missing_image(defective_site):
    with serve_folder(defective_site.output) as url:
        broken, _ = broken_links(url, LINK_START_PATHS)
    assert {(link["url"].removeprefix(url), link["parent"].removeprefix(url)) for link in broken} == {
        ("/tin-tuc/bai-da-xoa.html", "/tin-tuc/lien-ket-hong.html"),
        ("/images/khong-co.jpg", "/tin-tuc/lien-ket-hong.html"),
        ("/images/khong-co.jpg", "/"),  # the article's photo leads the home page too
    }
