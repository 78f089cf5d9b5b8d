"""`invoke livereload`: one preview per site folder, from the first build to Ctrl-C.

The session takes the folder's lock, starts the side services (the visit
counter, and whatever else `tasks.py` passes), serves the output, and turns
every burst of saves into one rebuild followed by one reload. It watches with
`watchfiles` (the operating system's change events), waits until saves settle
(`SETTLE_MS`) and asks the warm builder (live_preview.py, a child process) to
rebuild; the builder compares file contents, not times. Changes that arrive
during a rebuild start another one, and every good rebuild ends with a reload,
so the last save is always the one shown. A builder that dies is started again
with one line in the terminal.
"""

from pathlib import Path
import json
import os
import signal
import subprocess
import sys
import threading
import time
import tomllib

from .live_preview import is_editor_file
from .preview_server import PreviewEvents, PreviewServer

# Saves closer together than this are one change (an editor's save is often
# several writes; a half-saved file is never built).
SETTLE_MS = 120
# The search index (Pagefind, whole site) is rebuilt once saves pause this long.
SEARCH_AFTER_SECONDS = 2.0
STOP_WAIT_SECONDS = 10


def say(text):
    print(f"[xem trước] {text}", flush=True)


class FolderTaken(Exception):
    """Another preview serves this folder; the text is for the editor."""


class ServeLock:
    """An exclusive lock on `<site>/.preview.lock`, holding the PID and address of
    the preview that owns the folder. The operating system releases it when that
    process ends in any way, so a file left by a crash never blocks the next start."""

    def __init__(self, path):
        self.path = Path(path)
        self.handle = None

    def acquire(self, address):
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            lock_file(handle)
        except OSError:
            handle.seek(0)
            owner = handle.read().strip() or "?"
            handle.close()
            raise FolderTaken(
                f"Thư mục này đang được xem trước ({owner}). Dùng cửa sổ đang chạy `make serve` đó, "
                "hoặc dừng nó bằng Ctrl-C rồi chạy lại.") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"tiến trình {os.getpid()}, {address}\n")
        handle.flush()
        self.handle = handle

    def release(self):
        if self.handle is not None:
            self.handle.seek(0)
            self.handle.truncate()
            self.handle.close()
            self.handle = None


def lock_file(handle):
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


class PreviewProcess:
    """The warm builder as a child process; started again if it dies."""

    def __init__(self, settings_path, output_path, overrides=None, python=sys.executable):
        self.command = [python, str(Path(__file__).with_name("live_preview.py")), str(settings_path),
                        str(output_path), json.dumps(overrides or {})]
        self.process = None

    def start(self):
        # Its own session: Ctrl-C reaches only `invoke livereload`, which stops the
        # builder between builds, so no page is left half-written.
        self.process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, encoding="utf-8", start_new_session=True)

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def request(self, command, **arguments):
        """The builder's reply (a dict); a builder that died is restarted with one
        line, and the request becomes a full build."""
        if not self.alive():
            self.restart_after_death()
            command, arguments = "rebuild", {"full": True}
        try:
            self.process.stdin.write(json.dumps({"command": command, **arguments}) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (BrokenPipeError, OSError, ValueError):
            line = ""
        if not line:
            self.restart_after_death()
            return self.request("rebuild", full=True)
        return json.loads(line)

    def restart_after_death(self):
        code = self.process.poll() if self.process is not None else None
        if self.process is not None:
            say(f"tiến trình dựng trang đã dừng (mã {code}); đang khởi động lại và dựng lại toàn bộ.")
            self.process.stdout.close()
            try:
                self.process.stdin.close()
            except OSError:
                pass
        self.start()

    def stop(self):
        if self.process is None:
            return
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=STOP_WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            self.process.wait()
        self.process.stdout.close()
        self.process = None


class SearchRefresh:
    """The search index (Pagefind over the whole site: seconds at 5,000 articles)
    made again in a process of its own once saves pause, so that it never holds up
    the next save: a save that comes meanwhile stops it, and it starts again later.
    Until it is done the open pages say that search is being updated."""

    def __init__(self, builder_command, events):
        self.command = [*builder_command, "search"]
        self.events = events
        self.process = None

    def start(self):
        self.cancel()
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        start_new_session=True)

    def finished(self):
        if self.process is not None and self.process.poll() is not None:
            if self.process.returncode == 0:
                self.events.search_ready()
            self.process = None

    def cancel(self):
        """Stop a refresh under way (Pagefind with it); True if there was one."""
        if self.process is None:
            return False
        running = self.process.poll() is None
        if running:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            self.process.wait()
        self.process = None
        return running


def preview_labels(labels_file):
    try:
        with open(labels_file, "rb") as labels:
            return {key: value for key, value in tomllib.load(labels).items() if key.startswith("preview_")}
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def stop_service(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class PreviewSession:
    def __init__(self, site_root, settings_path, output, port, services=(), overrides=None,
                 labels_file=None, host="localhost"):
        self.site_root = Path(site_root).resolve()
        self.settings_path = Path(settings_path).resolve()
        self.output = Path(output).resolve()
        from pelican.settings import read_settings

        settings = read_settings(str(self.settings_path))
        self.content, self.theme = Path(settings["PATH"]), Path(settings["THEME"])
        self.code = [*map(Path, settings["PLUGIN_PATHS"]), self.site_root / "site_core", self.settings_path]
        self.host, self.port = host, int(port)
        self.services = list(services)
        self.builder = PreviewProcess(self.settings_path, self.output, overrides)
        self.events = PreviewEvents(preview_labels(labels_file or self.theme / "labels.toml"))
        self.lock = ServeLock(self.site_root / ".preview.lock")
        self.stop_event = threading.Event()
        self.shown_drafts = set()
        self.search_due = None
        self.search = SearchRefresh(self.builder.command, self.events)

    @property
    def address(self):
        return f"http://{self.host}:{self.port}"

    def run(self):
        """Serve until Ctrl-C (or `stop()`); returns the exit code."""
        try:
            self.lock.acquire(self.address)
        except FolderTaken as taken:
            print(taken, file=sys.stderr)
            return 1
        started, server = [], None
        try:
            try:
                server = PreviewServer(self.output, self.events, self.host, self.port)
            except OSError as error:
                print(f"Không mở được cổng {self.port} ({error.strerror}): một chương trình khác đang dùng nó. "
                      "Chọn cổng khác, ví dụ `PORT=8010 make serve`.", file=sys.stderr)
                return 1
            self.port = server.port
            for start_service in self.services:
                started.append(start_service())
            self.clean_leftovers()
            server.start()
            say(f"đang dựng trang lần đầu; mở {self.address}/ (trang cũ, nếu có, vẫn xem được trong lúc chờ).")
            self.builder.start()
            self.handle_reply(self.builder.request("rebuild", full=True))
            say(f"sẵn sàng tại {self.address}/ — lưu bài là trang tự cập nhật. Ctrl-C để dừng.")
            self.watch()
        except KeyboardInterrupt:
            pass
        finally:
            in_main_thread = threading.current_thread() is threading.main_thread()
            if in_main_thread:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the cleanup short
            if server is not None:
                server.stop()
            self.search.cancel()
            self.builder.stop()
            for process in started:
                stop_service(process)
            self.lock.release()
            if in_main_thread:
                signal.signal(signal.SIGINT, signal.default_int_handler)
            say("đã dừng.")
        return 0

    def stop(self):
        self.stop_event.set()

    def clean_leftovers(self):
        """A staging folder left by a build that was cut off is never served."""
        import shutil

        from .live_preview import REPLACED_SUFFIX, STAGING_SUFFIX

        for suffix in (STAGING_SUFFIX, REPLACED_SUFFIX):
            shutil.rmtree(f"{self.output}{suffix}", ignore_errors=True)

    def watched(self, change, path):
        name = os.path.basename(path)
        if not is_editor_file(name) or "__pycache__" in path:
            return False
        return not Path(path).is_relative_to(self.output)

    def watch(self):
        import watchfiles

        paths = [path for path in (self.content, self.theme, *self.code) if path.exists()]
        for changes in watchfiles.watch(*paths, watch_filter=self.watched, debounce=1600, step=SETTLE_MS,
                                        stop_event=self.stop_event, yield_on_timeout=True, rust_timeout=500):
            self.search.finished()
            if changes:
                if self.search.cancel():  # the saves come first; the index is made again after them
                    self.search_due = time.monotonic()
                self.apply({Path(path) for _, path in changes})
            elif not self.builder.alive():
                self.handle_reply(self.builder.request("rebuild", full=True))
            elif self.search_due is not None and time.monotonic() >= self.search_due:
                self.search_due = None
                self.search.start()

    def apply(self, paths):
        code = [p for p in paths if any(p == c or c in p.parents for c in self.code)]
        theme_static = [p for p in paths if (self.theme / "static") in p.parents]
        if code:
            say("mã của trang (plugin, cài đặt) đã đổi: khởi động lại bộ dựng.")
            self.builder.stop()
            self.builder.start()
            return self.handle_reply(self.builder.request("rebuild", full=True))
        templates = [p for p in paths if self.theme in p.parents and p not in theme_static]
        if templates:
            return self.handle_reply(self.builder.request("rebuild", full=True))
        if theme_static:
            self.handle_reply(self.builder.request("theme_static", paths=[str(p) for p in theme_static]))
        content = sorted(str(p) for p in paths if p not in theme_static)
        if content:
            self.handle_reply(self.builder.request("rebuild", paths=content))

    def handle_reply(self, reply):
        if not reply.get("ok"):
            # The builder has printed the report above; the open pages show the same.
            say(f"trang chưa cập nhật ({reply.get('seconds', 0):.2f} s): sửa lỗi nêu trên; "
                "trang đang mở cũng hiện các lỗi này.")
            self.events.failed(reply.get("problems", []))
            return reply
        kind = reply.get("kind")
        if kind == "none":
            if self.events.problems:  # the file went back to how it was when it last built
                self.events.built(reply.get("search_pending", False))
            return reply
        say(f"{reply.get('what')} — {reply.get('seconds', 0):.2f} s")
        if kind == "css":
            self.events.stylesheets(reply.get("what", "").split())
        else:
            self.events.built(reply.get("search_pending", False))
        if reply.get("search_pending"):
            self.search_due = time.monotonic() + SEARCH_AFTER_SECONDS
        self.show_drafts(reply.get("drafts", []))
        return reply

    def show_drafts(self, drafts):
        for title, url, kind in drafts:
            if (url, title) in self.shown_drafts:
                continue
            self.shown_drafts.add((url, title))
            what = "Bản nháp" if kind == "draft" else "Bài hẹn giờ"
            say(f"{what} «{title}» xem tại {self.address}{url}")
