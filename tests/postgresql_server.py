"""A throwaway PostgreSQL server for tests and the benchmark: Debian's binaries, a temporary folder, a free port.

PostgreSQL refuses to run as root, so under root (as in CI) initdb and the
server run as the unprivileged `nobody`. Install the server with the Debian
package `postgresql` (`make test` does).
"""

import os
import pwd
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.counter_server import free_port

POSTGRESQL_ROOT = Path("/usr/lib/postgresql")
UNPRIVILEGED_USER = "nobody"
SUPERUSER = "counter"
START_SECONDS = 30


def server_binaries() -> Path:
    """The bin folder of the newest PostgreSQL installed from Debian."""
    found = sorted(
        (path.parent for path in POSTGRESQL_ROOT.glob("*/bin/pg_ctl") if re.fullmatch(r"\d+", path.parts[-3])),
        key=lambda folder: int(folder.parts[-2]),
    )
    if not found:
        raise RuntimeError(
            f"no PostgreSQL server under {POSTGRESQL_ROOT}: install the Debian package postgresql (make test does)"
        )
    return found[-1]


def run_as_unprivileged() -> dict:
    """subprocess arguments that drop root to UNPRIVILEGED_USER; nothing when not root."""
    if os.geteuid() != 0:
        return {}
    account = pwd.getpwnam(UNPRIVILEGED_USER)
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


@dataclass
class PostgreSQLServer:
    port: int
    folder: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"


@contextmanager
def throwaway_postgresql(*, durable: bool = False):
    """Yield a running PostgreSQL server; stop it and delete its files afterwards.

    `durable=False` turns fsync off, which tests can afford; the benchmark
    keeps PostgreSQL's defaults.
    """
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="counter-postgresql-"))
    options = run_as_unprivileged()
    if options:
        os.chown(folder, options["user"], options["group"])
    data, sockets = folder / "data", folder / "sockets"
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "HOME": str(folder)}
    run = dict(cwd=folder, env=environment, check=True, capture_output=True, **options)
    port = free_port()
    settings = [
        "-c", "listen_addresses=127.0.0.1", "-c", f"port={port}", "-c", f"unix_socket_directories={sockets}",
        "-c", "max_connections=60", "-c", "shared_buffers=32MB",
    ]
    if not durable:
        settings += ["-c", "fsync=off", "-c", "full_page_writes=off"]
    try:
        subprocess.run(["mkdir", "-p", str(sockets)], **run)
        subprocess.run([binaries / "initdb", "-D", data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                        "--no-locale", "--no-sync"], **run)
        subprocess.run([binaries / "pg_ctl", "-D", data, "-l", folder / "server.log", "-w", "-t", str(START_SECONDS),
                        "-o", " ".join(settings), "start"], **run)
        try:
            yield PostgreSQLServer(port, folder)
        finally:
            subprocess.run([binaries / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], **run)
    except subprocess.CalledProcessError as error:
        log = (folder / "server.log").read_text(errors="replace") if (folder / "server.log").exists() else ""
        raise RuntimeError(f"{error.cmd[0]} failed: {error.stderr.decode(errors='replace')}\n{log}") from error
    finally:
        shutil.rmtree(folder, ignore_errors=True)
