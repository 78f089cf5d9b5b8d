"""Run a server (by default `python -m counter`) on a free loopback port, for tests and the benchmark."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningServer:
    url: str
    process: subprocess.Popen


def wait_until_healthy(url: str, process: subprocess.Popen, log_path: Path, expect_healthy: bool = True) -> None:
    """Wait until /healthz answers 200 (or, with expect_healthy=False, answers at all)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError:
            if not expect_healthy:
                return
            time.sleep(0.05)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    raise RuntimeError(f"server not healthy after {STARTUP_SECONDS}s:\n{log_path.read_text()}")


@contextmanager
def running_server(command: list[str], *, port: int, log_path: Path, cwd: Path = REPO_ROOT,
                   expect_healthy: bool = True, **popen_options):
    """Yield a RunningServer for `command`, which must listen on `port` and answer /healthz.

    The server's output goes to `log_path`; COUNTER_* variables of the caller are not passed on.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("COUNTER_")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, **popen_options)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log_path, expect_healthy)
        yield RunningServer(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_counter(*flags: str, log_path: Path, cwd: Path = REPO_ROOT, prefix: list[str] = (), **options):
    """`python -m counter` with `flags`; `prefix` goes before the command (e.g. setpriv and its options).

    Afterwards the salt file an SQLite counter keeps in RAM is removed, so tests leave nothing behind.
    """
    from counter.salts import SaltFile, salt_file_for
    from counter.store import is_postgresql

    port = free_port()
    command = [*prefix, sys.executable, "-m", "counter", "--host", "127.0.0.1", "--port", str(port), *flags]
    database = flags[flags.index("--db") + 1] if "--db" in flags else "var/counter.sqlite3"
    try:
        with running_server(command, port=port, log_path=log_path, cwd=cwd, **options) as server:
            yield server
    finally:
        if not is_postgresql(database):
            SaltFile(salt_file_for(cwd / database)).destroy()
