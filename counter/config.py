"""Settings from COUNTER_* environment variables, overridden by command-line flags."""

import argparse
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from ipaddress import ip_network
from pathlib import Path

from counter.visitors import Network

DEFAULT_ORIGINS = ("http://localhost:8000", "http://127.0.0.1:8000")


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 8001
    threads: int = 8
    database: str = "var/counter.sqlite3"
    """An SQLite file, or a postgresql:// URL (see counter.store.open_store)."""
    manifest_path: Path = Path("output/counter-manifest.json")
    origins: frozenset[str] = frozenset(DEFAULT_ORIGINS)
    offset: int = 0
    trusted_proxies: tuple[Network, ...] = ()
    # Per client address (IPv4) or /64 (IPv6); docs/COUNTER.md explains the figures.
    rate_per_second: float = 5.0
    rate_burst: int = 50


def _words(values: Sequence[str] | str) -> list[str]:
    """Accept both `a,b` and `a b` (and repeated flags) for list settings."""
    if isinstance(values, str):
        values = [values]
    return [word for value in values for word in value.replace(",", " ").split()]


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number: {text}")
    return value


def _networks(values: Sequence[str] | str) -> tuple[Network, ...]:
    return tuple(ip_network(word, strict=False) for word in _words(values))


def add_config_arguments(parser: argparse.ArgumentParser, environ: Mapping[str, str]) -> None:
    # argparse passes string defaults through `type`, so environment values
    # are validated exactly like flags.
    defaults = Config()
    env = environ.get
    parser.add_argument("--host", default=env("COUNTER_HOST", defaults.host))
    parser.add_argument("--port", type=int, default=env("COUNTER_PORT", defaults.port))
    parser.add_argument("--threads", type=int, default=env("COUNTER_THREADS", defaults.threads))
    parser.add_argument("--db", default=env("COUNTER_DB", defaults.database))
    parser.add_argument(
        "--manifest", type=Path, default=env("COUNTER_MANIFEST", defaults.manifest_path)
    )
    parser.add_argument(
        "--origins", nargs="+", default=env("COUNTER_ORIGINS", " ".join(DEFAULT_ORIGINS))
    )
    parser.add_argument(
        "--offset", type=_non_negative_int, default=env("COUNTER_OFFSET", defaults.offset)
    )
    parser.add_argument(
        "--trusted-proxy", nargs="+", dest="trusted_proxies",
        default=env("COUNTER_TRUSTED_PROXIES", ""),
    )
    parser.add_argument(
        "--rate-per-second", type=_positive_float, default=env("COUNTER_RATE_PER_SECOND", defaults.rate_per_second)
    )
    parser.add_argument(
        "--rate-burst", type=_positive_int, default=env("COUNTER_RATE_BURST", defaults.rate_burst)
    )


def config_from_arguments(arguments: argparse.Namespace) -> Config:
    return Config(
        host=arguments.host,
        port=arguments.port,
        threads=arguments.threads,
        database=arguments.db,
        manifest_path=arguments.manifest,
        origins=frozenset(_words(arguments.origins)),
        offset=arguments.offset,
        trusted_proxies=_networks(arguments.trusted_proxies),
        rate_per_second=arguments.rate_per_second,
        rate_burst=arguments.rate_burst,
    )


def parse_config(parser: argparse.ArgumentParser, argv: Sequence[str]) -> tuple[argparse.Namespace, Config]:
    """Parse `argv`; invalid values stop the program with a usage message, like argparse's own."""
    arguments = parser.parse_args(list(argv))
    try:
        return arguments, config_from_arguments(arguments)
    except ValueError as error:
        parser.error(str(error))


def load_config(argv: Sequence[str] = (), environ: Mapping[str, str] = os.environ) -> Config:
    parser = argparse.ArgumentParser(prog="python -m counter")
    add_config_arguments(parser, environ)
    return parse_config(parser, argv)[1]
