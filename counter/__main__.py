"""`python -m counter [flags]` serves the counter; `python -m counter backup DEST [--db PATH]` copies its database."""

import argparse
import logging
import os
import sys

import waitress

from counter.app import create_app
from counter.config import Config, add_config_arguments, parse_config
from counter.sqlite_store import SQLiteStore

WAITRESS_MAX_BODY_BYTES = 64 * 1024


def serve(config: Config) -> None:
    logging.getLogger(__name__).info(
        "counter on http://%s:%d, database %s, manifest %s",
        config.host, config.port, config.db_path, config.manifest_path,
    )
    waitress.serve(
        create_app(config),
        host=config.host,
        port=config.port,
        threads=config.threads,
        ident="counter",
        # The application decides which peers may set X-Forwarded-For
        # (counter.visitors.client_address); waitress would drop the header.
        clear_untrusted_proxy_headers=False,
        # waitress buffers a whole body before the application sees it; cap
        # that well above MAX_BODY_BYTES, whose 413 the application answers.
        max_request_body_size=WAITRESS_MAX_BODY_BYTES,
    )


def backup(config: Config, destination: str) -> None:
    store = SQLiteStore(config.db_path)
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
    if arguments.command == "backup":
        backup(config, arguments.destination)
    else:
        serve(config)


if __name__ == "__main__":
    main()
