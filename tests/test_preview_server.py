"""The preview's server and session: pages carry the reload script, unknown addresses get the
site's own 404 page, events reach open pages, one preview per folder, a dead builder comes back."""

from contextlib import contextmanager
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from bs4 import BeautifulSoup
import pytest

from editor_tools.live_preview import FolderTaken, PreviewEvents, PreviewProcess, PreviewServer, ServeLock
from support.site_build import SITE_ROOT


@contextmanager
def serving(output, events=None):
    server = PreviewServer(output, events or PreviewEvents(), port=0)
    server.start()
    try:
        yield server, f"http://localhost:{server.port}"
    finally:
        server.stop()


def get(url):
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def output(tmp_path):
    folder = tmp_path / "output"
    (folder / "tin-tuc").mkdir(parents=True)
    (folder / "tin-tuc" / "bai.html").write_text("<!doctype html><title>Bài</title><body><h1>Bài viết</h1></body>",
                                                 encoding="utf-8")
    (folder / "404.html").write_text("<!doctype html><body><h1>Không tìm thấy trang</h1></body>", encoding="utf-8")
    (folder / "theme").mkdir()
    (folder / "theme" / "site.css").write_text("body{}", encoding="utf-8")
    (tmp_path / "bi-mat.txt").write_text("không được lộ", encoding="utf-8")
    return folder


def preview_script(html):
    return BeautifulSoup(html, "lxml").find("script", attrs={"data-preview-token": True})


def test_pages_get_the_preview_script_and_are_never_cached(output):
    with serving(output) as (server, url):
        status, headers, body = get(url + "/tin-tuc/bai.html")
        assert status == 200 and headers["Cache-Control"] == "no-store"
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert preview_script(body)["data-preview-token"] == server.events.token
        status, headers, body = get(url + "/theme/site.css")
        assert (status, body) == (200, b"body{}") and headers["Content-Type"].startswith("text/css")


@pytest.mark.parametrize("address", ["/tin-tuc/chua-co.html", "/ban-nhap/bai-moi.html", "/khong/co/gi/"])
def test_an_unknown_address_gets_the_sites_404_page_with_the_reload_script(output, address):
    with serving(output) as (server, url):
        status, _, body = get(url + address)
    assert status == 404
    page = BeautifulSoup(body, "lxml")
    assert page.h1.get_text() == "Không tìm thấy trang" and preview_script(body) is not None


@pytest.mark.parametrize("address", ["/../bi-mat.txt", "/%2e%2e/bi-mat.txt", "/tin-tuc/..%2f..%2fbi-mat.txt",
                                     "//etc/passwd", "/%00"])
def test_nothing_outside_the_output_folder_is_served(output, address):
    with serving(output) as (server, url):
        status, _, body = get(url + address)
    assert status == 404 and "không được lộ" not in body.decode("utf-8", "replace")


def read_events(url, count, timeout=10):
    events = []
    with urllib.request.urlopen(url + "/__xem-truoc/su-kien", timeout=timeout) as stream:
        for line in stream:
            if line.startswith(b"data: "):
                events.append(json.loads(line[6:]))
                if len(events) == count:
                    return events
    return events


def test_open_pages_hear_of_every_build_problems_and_stylesheets(output):
    events = PreviewEvents({"preview_fix": "Cách sửa:"})
    with serving(output, events) as (server, url):
        received = []
        listener = threading.Thread(target=lambda: received.extend(read_events(url, 4)))
        listener.start()
        time.sleep(0.5)
        problem = {"path": "content/articles/a.md", "line": 2, "message": "<b>Ngày</b> sai", "fix": "ghi lại"}
        for announce in (lambda: events.failed([problem]), lambda: events.built(),
                         lambda: events.stylesheets(["/theme/site.css"])):
            announce()
            time.sleep(0.3)
        listener.join(timeout=10)
    first, failed, built, css = received
    assert first["type"] == "state" and first["problems"] == [] and first["labels"]["preview_fix"] == "Cách sửa:"
    assert failed["problems"] == [problem] and failed["token"] == first["token"]
    assert built["type"] == "reload" and built["token"] != first["token"]
    assert css == {"type": "css", "paths": ["/theme/site.css"]}


def test_a_second_preview_of_the_same_folder_is_refused_and_a_dead_ones_lock_is_not(tmp_path):
    first = ServeLock(tmp_path / ".preview.lock")
    first.acquire("http://localhost:8450")
    with pytest.raises(FolderTaken) as taken:
        ServeLock(tmp_path / ".preview.lock").acquire("http://localhost:8451")
    assert f"tiến trình {os.getpid()}, http://localhost:8450" in str(taken.value)
    assert "đang được xem trước" in str(taken.value)
    first.release()

    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path.insert(0, sys.argv[1]);"
        "from editor_tools.live_preview import ServeLock;"
        "lock = ServeLock(sys.argv[2]); lock.acquire('x'); print('ok', flush=True); time.sleep(60)"),
        str(SITE_ROOT), str(tmp_path / ".preview.lock")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ok"
    with pytest.raises(FolderTaken):
        ServeLock(tmp_path / ".preview.lock").acquire("y")
    holder.kill()
    holder.wait()
    holder.stdout.close()
    assert "tiến trình" in (tmp_path / ".preview.lock").read_text(encoding="utf-8")  # left behind
    ServeLock(tmp_path / ".preview.lock").acquire("z")


def test_a_builder_that_dies_is_started_again_with_one_line(tmp_path, capfd):
    script = tmp_path / "builder.py"
    script.write_text(
        "import json, sys\n"
        "for line in sys.stdin:\n"
        "    print(json.dumps({'ok': True, 'kind': 'full', 'asked': json.loads(line)}), flush=True)\n",
        encoding="utf-8")
    builder = PreviewProcess("settings", "output")
    builder.command = [sys.executable, str(script)]
    builder.start()
    assert builder.request("rebuild")["asked"] == {"command": "rebuild"}
    builder.process.kill()
    builder.process.wait()

    reply = builder.request("rebuild")

    assert reply["asked"] == {"command": "rebuild", "full": True}
    shown = capfd.readouterr()
    assert shown.out.count("[xem trước] tiến trình dựng trang đã dừng") == 1
    assert "BrokenPipeError" not in shown.out + shown.err and "Traceback" not in shown.out + shown.err
    builder.stop()


def test_ctrl_c_stops_the_preview_and_its_services_without_a_traceback(tmp_path):
    from bench.corpus import write_corpus

    content = write_corpus(tmp_path / "site", 3)
    settings = tmp_path / "site" / "settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(SITE_ROOT)!r})\nfrom pelicanconf import *\n"
                        f"PATH = {str(content)!r}\nSEARCH_INDEX = False\n", encoding="utf-8")
    marker = tmp_path / "service.pid"
    program = (
        "import subprocess, sys\n"
        f"sys.path[:0] = [{str(SITE_ROOT)!r}, {str(SITE_ROOT / 'plugins')!r}]\n"
        "from editor_tools.live_preview import PreviewSession\n"
        "def service():\n"
        "    process = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'], start_new_session=True)\n"
        f"    open({str(marker)!r}, 'w').write(str(process.pid))\n"
        "    return process\n"
        f"session = PreviewSession({str(tmp_path / 'site')!r}, {str(settings)!r}, {str(tmp_path / 'site' / 'output')!r},"
        " 0, services=[service])\n"
        "sys.exit(session.run())\n")
    preview = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    shown = []
    for line in preview.stdout:
        shown.append(line)
        if "sẵn sàng tại" in line:
            break
    preview.send_signal(signal.SIGINT)
    shown += preview.stdout.readlines()
    assert preview.wait(timeout=60) == 0
    text = "".join(shown)
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert text.rstrip().endswith("[xem trước] đã dừng.")
    service_pid = int(marker.read_text())
    with pytest.raises(ProcessLookupError):
        for _ in range(50):
            os.kill(service_pid, 0)
            time.sleep(0.1)
    assert (tmp_path / "site" / "output" / "index.html").exists()
    assert not (tmp_path / "site" / "output.dang-dung").exists()


def test_the_search_refresh_runs_apart_and_a_save_stops_it(tmp_path):
    from editor_tools.live_preview.session import SearchRefresh

    events = PreviewEvents()
    events.built(search_pending=True)
    slow = SearchRefresh([sys.executable, "-c", "import sys, time; time.sleep(60)"], events)
    slow.start()
    started = time.monotonic()
    assert slow.cancel() and time.monotonic() - started < 10
    assert events.search_pending

    done = tmp_path / "done"
    quick = SearchRefresh([sys.executable, "-c", f"open({str(done)!r}, 'w').write(__import__('sys').argv[-1])"],
                          events)
    quick.start()
    quick.process.wait()
    quick.finished()
    assert done.read_text() == "search" and not events.search_pending


@contextmanager
def preview_session(tmp_path, articles=6):
    import shutil

    from bench.corpus import write_corpus
    from editor_tools.live_preview import PreviewSession

    content = write_corpus(tmp_path / "site", articles)
    theme = tmp_path / "site" / "theme"
    shutil.copytree(SITE_ROOT / "theme", theme)
    settings = tmp_path / "site" / "settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(SITE_ROOT)!r})\nfrom pelicanconf import *\n"
                        f"PATH = {str(content)!r}\nTHEME = {str(theme)!r}\nSEARCH_INDEX = False\n", encoding="utf-8")
    session = PreviewSession(tmp_path / "site", settings, tmp_path / "site" / "output", 0)
    thread = threading.Thread(target=session.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while session.events.generation == 0 and time.monotonic() < deadline and thread.is_alive():
            time.sleep(0.1)
        assert session.events.generation > 0, "the first build did not finish"
        yield session, content, theme, f"http://localhost:{session.port}"
    finally:
        session.stop()
        thread.join(timeout=60)


def test_the_server_keeps_answering_with_the_last_good_site_during_a_full_build(tmp_path):
    with preview_session(tmp_path) as (session, content, theme, url):
        article = sorted((content / "articles").rglob("*.md"))[0]
        address = f"{url}/tin-tuc/{article.stem}.html"
        staging = tmp_path / "site" / "output.dang-dung"
        generation = session.events.generation
        template = theme / "templates" / "article.html"
        template.write_text(template.read_text(encoding="utf-8").replace("</article>", "<p>mẫu mới</p></article>", 1),
                            encoding="utf-8")
        during_build, deadline = [], time.monotonic() + 120
        while session.events.generation == generation:
            assert time.monotonic() < deadline, "the full build did not finish"
            building = staging.exists()
            started = time.monotonic()
            status, _, body = get(address)
            if building and staging.exists():
                during_build.append((status, time.monotonic() - started, "mẫu mới" in body.decode()))

        assert during_build, "no request was made while the full build ran"
        assert all(status == 200 and seconds < 2 and not new for status, seconds, new in during_build)
        assert "mẫu mới" in get(address)[2].decode()


def test_the_preview_prints_where_a_draft_can_be_seen(tmp_path, capsys):
    with preview_session(tmp_path) as (session, content, theme, url):
        article = sorted((content / "articles").rglob("*.md"))[1]
        title = next(line for line in article.read_text(encoding="utf-8").splitlines() if line.startswith("Title: "))
        generation = session.events.generation
        article.write_text(article.read_text(encoding="utf-8").replace("Title: ", "Status: draft\nTitle: ", 1),
                           encoding="utf-8")
        deadline = time.monotonic() + 60
        while session.events.generation == generation:
            assert time.monotonic() < deadline, "the rebuild did not finish"
            time.sleep(0.1)

        shown = capsys.readouterr().out
        draft_address = f"{url}/ban-nhap/{article.stem}.html"
        assert f"[xem trước] Bản nháp «{title.removeprefix('Title: ')}» xem tại {draft_address}" in shown
        status, _, body = get(draft_address)
        assert status == 200 and BeautifulSoup(body, "lxml").select_one(".preview-banner-label").get_text() == "BẢN NHÁP"
