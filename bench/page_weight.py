"""Page weight of the reference article: what a reader on a slow link downloads
before reading (HTML, CSS, JS; photos excluded), gzipped as a static host serves
it, and which requests block rendering.

    .venv/bin/python bench/page_weight.py            # builds the shipped content
    .venv/bin/python bench/page_weight.py output/    # measures an existing build
"""

from pathlib import Path
import gzip
import subprocess
import sys
import tempfile

from bs4 import BeautifulSoup

SITE_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_ARTICLE = "tin-tuc/ky-ket-thuc-hien-cong-tac-truyen-thong-phan-anh-tinh-hinh-nhan-dan-tren-dia-ban-tinh.html"
BUDGET_BYTES = 30 * 1024


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


def build_shipped_site(output):
    subprocess.run([sys.executable, "-m", "pelican", str(SITE_ROOT / "content"), "-s",
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
    return 0 if total <= BUDGET_BYTES and len(blocking) <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
