"""`python -m counter [flags]` serves the counter; `python -m counter backup DEST [--db PATH]` copies its database."""

import argparse
import logging
import os
import resource
import signal
import sys

import waitress

from counter.app import CounterApp
from counter.clock import system_clock
from counter.config import Config, add_config_arguments, parse_config
from counter.server_errors import use_json_errors
from counter.store import StoreOpenError, is_postgresql, open_store

# waitress's own limits sit above the application's (MAX_BODY_BYTES and
# MAX_HEADER_BYTES in counter.app), so the application answers every
# oversized request itself; beyond these, waitress answers, in JSON too
# (counter.server_errors).
WAITRESS_MAX_BODY_BYTES = 64 * 1024
WAITRESS_MAX_HEADER_BYTES = 64 * 1024
# Connections: waitress's defaults (100 connections, 120 s idle) let 100 idle
# sockets lock every reader out. Idle or slow connections cost waitress only
# a file descriptor and a little memory, never a worker thread (it hands a
# request to a thread only once it has all of it), so allow many and close
# those that say nothing for CHANNEL_TIMEOUT_SECONDS.
CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT_SECONDS = 15
CLEANUP_INTERVAL_SECONDS = 5
OPEN_FILES_WANTED = 4096


def waitress_settings(config: Config) -> dict:
    return dict(
        host=config.host,
        port=config.port,
        threads=config.threads,
        ident="counter",
        # The application decides which peers may set X-Forwarded-For
        # (counter.visitors.client_address); waitress would drop the header.
        clear_untrusted_proxy_headers=False,
        max_request_body_size=WAITRESS_MAX_BODY_BYTES,
        max_request_header_size=WAITRESS_MAX_HEADER_BYTES,
        connection_limit=CONNECTION_LIMIT,
        channel_timeout=CHANNEL_TIMEOUT_SECONDS,
        cleanup_interval=CLEANUP_INTERVAL_SECONDS,
        # select() cannot watch descriptors above 1024; poll() can.
        asyncore_use_poll=True,
    )


def allow_enough_open_files() -> None:
    """Every connection holds a descriptor; the usual soft limit of 1024 would come first."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES_WANTED if hard == resource.RLIM_INFINITY else min(OPEN_FILES_WANTED, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def serve(config: Config) -> None:
    log = logging.getLogger(__name__)
    store = open_store(config.database, pool_size=config.threads)
    allow_enough_open_files()
    # A file size limit or a full disk must fail a write, not kill the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        server = waitress.create_server(CounterApp(config, store, system_clock), **waitress_settings(config))
    except OSError as error:
        store.close()
        raise StoreOpenError(
            f"cannot listen on {config.host}:{config.port}: {error.strerror}; choose another --port or --host"
        ) from error
    use_json_errors(server)
    log.info(
        "counter on http://%s:%d, database %s, manifest %s",
        config.host, config.port, store.location, config.manifest_path,
    )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        store.close()


def backup(config: Config, destination: str) -> None:
    if is_postgresql(config.database):
        raise StoreOpenError(
            "backup copies SQLite databases; for PostgreSQL use pg_dump --no-unlogged-table-data (docs/COUNTER.md)"
        )
    store = open_store(config.database)
    try:
        store.backup(destination)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m counter", description=__doc__)
    add_config_arguments(parser, os.environ)
    commands = parser.add_subparsers(dest="command")
    backup_command = commands.add_parser("backup", help="copy the live database consistently")
    backup_command.add_argument("destination")
    add_config_arguments(backup_command, os.environ)
    arguments, config = parse_config(parser, sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if arguments.command == "backup":
            backup(config, arguments.destination)
        else:
            serve(config)
    except StoreOpenError as error:
        parser.exit(1, f"{parser.prog}: error: {' '.join(str(error).split())}\n")


if __name__ == "__main__":
    main()
