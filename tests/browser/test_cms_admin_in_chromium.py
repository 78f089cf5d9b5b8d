"""/admin/ in Chromium against decap-server, on a scratch git copy of the shipped content."""

from contextlib import contextmanager
import os
import re
from pathlib import Path
import shutil
import socket
import subprocess
import time
from urllib.parse import urlsplit

import pytest

from support.site_build import SITE_ROOT, build_site
from support.static_server import serve_folder

REFERENCE = "ky-ket-thuc-hien-cong-tac-truyen-thong-phan-anh-tinh-hinh-nhan-dan-tren-dia-ban-tinh"
REFERENCE_TITLE = "Ký kết thực hiện công tác truyền thông, phản ánh tình hình Nhân dân trên địa bàn tỉnh"
DECAP_SERVER = SITE_ROOT / "node_modules" / "decap-server" / "dist" / "index.js"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def decap_server(repository, port):
    environment = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1",
                   "GIT_REPO_DIRECTORY": str(repository), "LOG_LEVEL": "warn"}
    server = subprocess.Popen(["node", str(DECAP_SERVER)], env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("decap-server did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def admin(tmp_path_factory):
    """The shipped content in a scratch git repository, its site built and served, decap-server on it."""
    workdir = tmp_path_factory.mktemp("cms")
    repository = workdir / "repository"
    shutil.copytree(SITE_ROOT / "content", repository / "content")
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-C", str(repository)]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repository)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "content"], check=True)
    port = free_port()
    site = build_site(workdir / "site", content_dir=repository / "content", overrides=(
        f"CMS_BACKEND = {{'name': 'proxy', 'proxy_url': 'http://127.0.0.1:{port}/api/v1', 'branch': 'main'}}\n"))
    assert site.ok, site.log
    with decap_server(repository, port), serve_folder(site.output) as url:
        yield {"url": url, "repository": repository, "workdir": workdir}


@pytest.fixture
def admin_page(browser, admin):
    """The admin, logged in to the local backend; every request and CSP violation recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.add_init_script("document.addEventListener('securitypolicyviolation',"
                         " e => (window.__violations = window.__violations || []).push(e.blockedURI))")
    page.goto(admin["url"] + "/admin/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bộ sưu tập").wait_for()
    page.requests = requests
    yield page
    context.close()


def git_diff(repository, *paths):
    return subprocess.run(["git", "-C", str(repository), "diff", "--unified=0", "--", *paths],
                          capture_output=True, text=True, check=True).stdout


def changed_lines(diff):
    return [line for line in diff.splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_admin_lists_every_category_and_the_reference_article_by_its_title(admin_page, admin, artifacts):
    page = admin_page
    import tomllib
    registry = tomllib.loads((SITE_ROOT / "content" / "categories.toml").read_text(encoding="utf-8"))
    for entry in registry["chuyen_muc"]:
        assert page.get_by_role("link", name=entry["name"], exact=True).count() == 1
    page.get_by_role("link", name="Hoạt động của Ngành", exact=True).click()
    page.get_by_text(f"{REFERENCE_TITLE} — 06/04/2023").wait_for()
    page.screenshot(path=str(artifacts / "cms-admin-list.png"))


def test_editing_the_reference_summary_changes_only_that_line(admin_page, admin, artifacts):
    page = admin_page
    page.goto(f"{admin['url']}/admin/#/collections/hoat-dong-cua-nganh/entries/{REFERENCE}")
    summary = page.get_by_label("Tóm tắt")
    summary.wait_for()
    assert page.get_by_label("Ngày đăng").input_value() == "06/04/2023"
    # The preview: the site's stylesheet, the date as the site shows it, the caption, the signature.
    preview = page.frame_locator("iframe").first
    preview.locator("h1.article-title", has_text=REFERENCE_TITLE).wait_for()
    assert preview.locator(".article-date").inner_text() == "Đăng ngày: 06/04/2023"
    assert preview.locator("figure figcaption").inner_text() == "Quang cảnh buổi họp ký kết"
    assert preview.locator(".article-signature").inner_text() == "NGUYÊN LƯU"
    assert preview.locator("link[href$='theme/css/site.css']").count() == 1
    page.screenshot(path=str(artifacts / "cms-admin-edit-preview.png"))

    summary.fill("Tóm tắt mới: ký kết phối hợp truyền thông.")
    page.get_by_role("button", name="Công bố").first.click()
    page.get_by_text("Công bố ngay").click()
    path = f"content/articles/hoat-dong-cua-nganh/{REFERENCE}.md"
    # The file is written in place: read it once it holds the new line (a read while it is
    # being written shows every line removed), or at the deadline, whatever it holds then.
    deadline = time.monotonic() + 20
    while "+Summary:" not in git_diff(admin["repository"], path) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    page.wait_for_timeout(200)
    diff = changed_lines(git_diff(admin["repository"], path))
    assert diff == ["+Summary: Tóm tắt mới: ký kết phối hợp truyền thông."]
    subprocess.run(["git", "-C", str(admin["repository"]), "checkout", "-q", "--", path], check=True)


def test_article_created_with_a_captioned_photo_passes_the_check_and_builds(admin_page, admin, artifacts, tmp_path):
    page = admin_page
    photo = tmp_path / "Ảnh Đại hội.jpg"
    shutil.copy(SITE_ROOT / "content" / "images" / "2023" / "04" / "ky-ket-phoi-hop-truyen-thong.jpg", photo)
    page.goto(f"{admin['url']}/admin/#/collections/tin-tuc-su-kien/new")
    page.get_by_label("Tiêu đề").fill("Đại hội đoàn kết các dân tộc tỉnh")
    date = page.get_by_label("Ngày đăng")
    assert date.input_value()  # a new article starts dated now, shown dd/mm/yyyy hh:mm
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", date.input_value())
    date.fill("10/05/2024 08:30")
    page.get_by_label("Tác giả").fill("Nguyên Lưu")
    page.locator("[data-slate-editor]").click()
    page.keyboard.type("Sáng ngày 10/5, Đại hội đoàn kết diễn ra tại tỉnh.")
    page.keyboard.press("Enter")
    page.locator("button[title='Add Component']").click()
    page.get_by_text("Ảnh có chú thích").click()
    page.get_by_role("button", name="Chọn một hình").click()
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_text("anh-dai-hoi.jpg").first.wait_for()
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.get_by_label("Mô tả ảnh").fill("Quang cảnh Đại hội")
    page.get_by_label("Chú thích").fill("Quang cảnh Đại hội đoàn kết")
    preview = page.frame_locator("iframe").first
    preview.locator("figure figcaption", has_text="Quang cảnh Đại hội đoàn kết").wait_for()
    page.screenshot(path=str(artifacts / "cms-admin-new-article.png"))
    page.get_by_role("button", name="Công bố").first.click()
    page.get_by_text("Công bố ngay").click()

    repository = admin["repository"]
    article = repository / "content" / "articles" / "tin-tuc-su-kien" / "dai-hoi-doan-ket-cac-dan-toc-tinh.md"
    image = repository / "content" / "images" / "2024" / "05" / "anh-dai-hoi.jpg"
    deadline = time.monotonic() + 20
    while not (article.exists() and image.exists()) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert image.read_bytes() == photo.read_bytes()
    text = article.read_text(encoding="utf-8")
    assert text.startswith("Title: Đại hội đoàn kết các dân tộc tỉnh\nDate: 2024-05-10 08:30\n"
                           "Category: Tin tức – Sự kiện\nAuthor: Nguyên Lưu\n")
    assert ("![Quang cảnh Đại hội]({static}/images/2024/05/anh-dai-hoi.jpg)\n\n"
            "/// caption\nQuang cảnh Đại hội đoàn kết\n///") in text

    check = subprocess.run([str(Path(os.sys.executable).parent / "invoke"), "check", "--content",
                            str(repository / "content")], cwd=SITE_ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    site = build_site(tmp_path / "built", content_dir=repository / "content")
    assert site.ok, site.log
    built = site.page("tin-tuc/dai-hoi-doan-ket-cac-dan-toc-tinh.html")
    figure = built.select_one(".article-body figure")
    # The photos plugin publishes the upload under its folder and name (as WebP widths).
    assert figure.img["src"].startswith("/images/2024/05/anh-dai-hoi") and figure.img["alt"] == "Quang cảnh Đại hội"
    assert (site.output / figure.img["src"].lstrip("/")).is_file()
    assert figure.figcaption.get_text(strip=True) == "Quang cảnh Đại hội đoàn kết"


def test_no_request_goes_to_another_host(admin_page, admin):
    page = admin_page
    page.goto(f"{admin['url']}/admin/#/collections/hoat-dong-cua-nganh/entries/{REFERENCE}")
    page.get_by_label("Tóm tắt").wait_for()
    page.frame_locator("iframe").first.locator("figure figcaption").wait_for()
    page.goto(f"{admin['url']}/admin/#/media")
    page.goto(f"{admin['url']}/admin/#/collections/co-quan")
    page.get_by_text("Báo Phú Yên").first.wait_for()
    hosts = {urlsplit(url).hostname for url in page.requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {"127.0.0.1"}
    assert page.evaluate("window.__violations || []") == []


@pytest.mark.parametrize("typed", ["31/02/2024", "2024-05-10", "10/05/2024 25:00"])
def test_a_date_not_written_day_month_year_is_refused_before_saving(admin_page, admin, typed):
    page = admin_page
    page.goto(f"{admin['url']}/admin/#/collections/van-ban/new")
    page.get_by_label("Tiêu đề").fill("Văn bản có ngày sai")
    page.get_by_label("Ngày đăng").fill(typed)
    page.get_by_role("button", name="Công bố").first.click()
    page.get_by_text("Công bố ngay").click()
    page.get_by_text("Ghi ngày/tháng/năm, có thể thêm giờ").wait_for()
    assert not (admin["repository"] / "content" / "articles" / "van-ban").exists()
