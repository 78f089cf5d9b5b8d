"""Page weight of the reference article: what a reader on a slow link downloads
before reading (HTML, CSS, JS), gzipped as a static host serves it, and which
requests block rendering; then, in Chromium on a 360 px phone at DPR 2, every
byte the article transfers with a 12-megapixel phone photo in it, photos counted.

    .venv/bin/python bench/page_weight.py            # builds the shipped content
    .venv/bin/python bench/page_weight.py output/    # measures an existing build (no Chromium)
"""

from pathlib import Path
import gzip
import subprocess
import sys
import tempfile

from bs4 import BeautifulSoup

SITE_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_PHOTO = "images/2023/04/ky-ket-phoi-hop-truyen-thong.jpg"
REFERENCE_ARTICLE = "tin-tuc/ky-ket-thuc-hien-cong-tac-truyen-thong-phan-anh-tinh-hinh-nhan-dan-tren-dia-ban-tinh.html"
BUDGET_BYTES = 30 * 1024
# Everything a 360 px phone at DPR 2 downloads for an article with one 12-megapixel photo.
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
PHONE_BUDGET_BYTES = 250_000


def gzipped_size(data):
    return len(gzip.compress(data, compresslevel=6))


def page_resources(output, page_path):
    """[(kind, path, render_blocking)] for the page and the CSS and JS it loads from the site."""
    html = (output / page_path).read_text(encoding="utf-8")
    document = BeautifulSoup(html, "lxml")
    resources = [("html", page_path, True)]
    for link in document.find_all("link", rel="stylesheet"):
        blocking = link.get("media", "all") in ("all", "screen") and not link.has_attr("disabled")
        resources.append(("css", link["href"], blocking))
    for script in document.find_all("script", src=True):
        in_head = script.find_parent("head") is not None
        deferred = script.has_attr("defer") or script.has_attr("async") or script.get("type") == "module"
        resources.append(("js", script["src"], in_head and not deferred))
    return resources


def local_file(output, url):
    path = url.split("://", 1)[-1]
    path = path.split("/", 1)[1] if "://" in url else path.lstrip("/")
    return output / path


def measure(output, page_path=REFERENCE_ARTICLE):
    rows = []
    for kind, url, blocking in page_resources(output, page_path):
        data = local_file(output, url).read_bytes()
        rows.append({"kind": kind, "url": url, "bytes": len(data), "gzipped": gzipped_size(data),
                     "render_blocking": blocking and kind != "html"})
    return rows


def transferred(browser, url, device=PHONE):
    """[{url, type, bytes}] of every response a reader on `device` gets for `url`,
    having scrolled to the end (lazy photos included). Bytes are the body as sent
    plus headers: uncompressed from a plain test server, so text counts in full."""
    context = browser.new_context(**device)
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(url, wait_until="networkidle")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    rows = []
    for request in requests:
        sizes = request.sizes()
        rows.append({"url": request.url, "type": request.resource_type,
                     "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"]})
    context.close()
    return rows


def photo_article_content(folder):
    """The shipped content with the reference article's placeholder replaced by a 12-megapixel phone photo."""
    import shutil
    sys.path[:0] = [str(SITE_ROOT)]
    from bench.photo_corpus import phone_jpeg

    content = Path(folder) / "content"
    shutil.copytree(SITE_ROOT / "content", content)
    (content / REFERENCE_PHOTO).write_bytes(phone_jpeg(4000, 3000, seed=12))
    return content


def build_shipped_site(output, content=SITE_ROOT / "content"):
    subprocess.run([sys.executable, "-m", "pelican", str(content), "-s",
                    str(SITE_ROOT / "pelicanconf.py"), "-o", str(output), "--fatal", "warnings", "-q"],
                   check=True)


def main():
    if len(sys.argv) > 1:
        rows = measure(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as folder:
            build_shipped_site(Path(folder))
            rows = measure(Path(folder))
    for row in rows:
        flag = "  render-blocking" if row["render_blocking"] else ""
        print(f"{row['kind']:4} {row['bytes']:7,} B  {row['gzipped']:6,} B gzipped  {row['url']}{flag}")
    total = sum(row["gzipped"] for row in rows)
    blocking = [row["url"] for row in rows if row["render_blocking"]]
    print(f"total {total:,} B gzipped of a {BUDGET_BYTES:,} B budget; render-blocking requests: {len(blocking)}")
    within = total <= BUDGET_BYTES and len(blocking) <= 1
    if len(sys.argv) == 1:
        within = phone_with_photo() and within
    return 0 if within else 1


def phone_with_photo():
    from playwright.sync_api import sync_playwright
    sys.path[:0] = [str(SITE_ROOT / "tests")]
    from support.chromium import launch_chromium
    from support.static_server import serve_folder

    with tempfile.TemporaryDirectory() as folder:
        build_shipped_site(Path(folder) / "output", photo_article_content(folder))
        with serve_folder(Path(folder) / "output") as url, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            rows = transferred(browser, f"{url}/{REFERENCE_ARTICLE}")
            browser.close()
    print("\nIn Chromium, 360 px phone at DPR 2, the article with a 12-megapixel photo:")
    for row in rows:
        print(f"{row['type']:10} {row['bytes']:8,} B  {row['url'].split('/', 3)[-1]}")
    total = sum(row["bytes"] for row in rows)
    print(f"total {total:,} B transferred of a {PHONE_BUDGET_BYTES:,} B budget")
    return total <= PHONE_BUDGET_BYTES


if __name__ == "__main__":
    sys.exit(main())
