"""Load test of the counter on loopback: counted hits per second and latency.

    python -m bench.counter_load [--requests 20000] [--clients 2] [--seconds 60] [--rounds 3]

Four servers, each hit by --clients processes that send, on one keep-alive
connection each, POST /api/hit as a browser would:
- the counter on SQLite (one waitress process);
- the counter on PostgreSQL, two waitress processes sharing one throwaway
  server (as two web hosts would), the clients split between them;
- the same waitress serving a constant reply, one process and two: the
  ceilings the two counters are compared with.
Every request comes through the trusted loopback proxy with its own
X-Forwarded-For in its own IPv6 /64, so every hit is a distinct visitor:
counted, and not flood-limited. The machine is shared with other work, so
the four run in alternating order, --rounds times, and the report gives each
round's ratio to its ceiling and their median. Bounded by --requests per run
and --seconds per run. Writes bench/COUNTER-RESULTS.md.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

import psycopg

from counter.salts import SaltFile, salt_file_for
from tests.counter_server import REPO_ROOT, free_port, running_counter, running_server
from tests.postgresql_server import server_binaries, throwaway_postgresql

PAGE = "/tin-tuc/abc.html"
ORIGIN = "http://127.0.0.1:8000"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
SERVER_THREADS = 8
RESULTS = REPO_ROOT / "bench" / "COUNTER-RESULTS.md"


SQLITE, POSTGRESQL, CEILING, CEILING_TWO = (
    "counter, SQLite, 1 process", "counter, PostgreSQL, 2 processes",
    "constant reply, 1 process", "constant reply, 2 processes",
)


@dataclass
class Run:
    name: str
    round: int
    elapsed: float
    latencies: list[float]
    statuses: dict[int, int]
    counted: int
    server_cpu: float

    @property
    def per_second(self) -> float:
        return self.counted / self.elapsed

    def percentile_ms(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def send_hits(port: int, first: int, count: int, deadline: float, start, results) -> None:
    """One client process: `count` hits from distinct visitors on one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    latencies, statuses = [], {}
    start.wait()
    began = time.time()
    for number in range(first, first + count):
        if time.time() >= deadline:
            break
        body = json.dumps({"path": PAGE, "view": f"bench-{number:012d}"})
        headers = {
            "Origin": ORIGIN,
            "User-Agent": USER_AGENT,
            "Content-Type": "text/plain;charset=UTF-8",
            "X-Forwarded-For": f"2001:db8:{number >> 16:x}:{number & 0xFFFF:x}::1",
        }
        sent = time.perf_counter()
        connection.request("POST", "/api/hit", body, headers)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - sent)
        statuses[response.status] = statuses.get(response.status, 0) + 1
    results.put((began, time.time(), latencies, statuses))
    connection.close()


def load(ports: list[int], requests: int, clients: int, seconds: float) -> tuple[float, list[float], dict[int, int]]:
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(clients + 1), context.Queue()
    share = requests // clients
    deadline = time.time() + seconds + 30  # generous room for the processes to start
    workers = [
        context.Process(target=send_hits, args=(ports[index % len(ports)], index * share, share, deadline, start, results))
        for index in range(clients)
    ]
    for worker in workers:
        worker.start()
    start.wait()
    outcomes = [results.get(timeout=seconds + 60) for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = max(end for _, end, _, _ in outcomes) - min(began for began, _, _, _ in outcomes)
    latencies = [latency for _, _, batch, _ in outcomes for latency in batch]
    statuses: dict[int, int] = {}
    for _, _, _, batch in outcomes:
        for status, count in batch.items():
            statuses[status] = statuses.get(status, 0) + count
    return elapsed, latencies, statuses


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process: a figure that other load on the machine barely moves."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(servers, options) -> tuple[float, list[float], dict[int, int], float]:
    ports = [int(server.url.rsplit(":", 1)[1]) for server in servers]
    cpu_before = sum(cpu_seconds(server.process.pid) for server in servers)
    elapsed, latencies, statuses = load(ports, options.requests, options.clients, options.seconds)
    return elapsed, latencies, statuses, sum(cpu_seconds(server.process.pid) for server in servers) - cpu_before


def counter_flags(database: str, workdir: Path) -> list[str]:
    manifest = workdir / "counter-manifest.json"
    manifest.write_text(json.dumps([PAGE]))
    return ["--db", database, "--manifest", str(manifest), "--origins", ORIGIN,
            "--trusted-proxy", "127.0.0.1", "--threads", str(SERVER_THREADS)]


def bench_sqlite(workdir: Path, options, round_number: int) -> Run:
    db = workdir / f"counter-{round_number}.sqlite3"
    with running_counter(*counter_flags(str(db), workdir), log_path=workdir / "sqlite.log") as server:
        elapsed, latencies, statuses, server_cpu = measure([server], options)
    with sqlite3.connect(db) as connection:
        row = connection.execute("SELECT visits FROM tallies WHERE scope = 'total'").fetchone()
    SaltFile(salt_file_for(db)).destroy()
    return Run(SQLITE, round_number, elapsed, latencies, statuses, row[0] if row else 0, server_cpu)


def bench_postgresql(workdir: Path, options, round_number: int, server_url: str) -> Run:
    name = f"bench_{round_number}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    url = server_url.rsplit("/", 1)[0] + f"/{name}"
    flags = counter_flags(url, workdir)
    with ExitStack() as stack:
        servers = [stack.enter_context(running_counter(*flags, log_path=workdir / f"postgresql-{host}.log"))
                   for host in range(2)]
        elapsed, latencies, statuses, server_cpu = measure(servers, options)
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT visits FROM tallies WHERE scope = 'total'").fetchone()
    return Run(POSTGRESQL, round_number, elapsed, latencies, statuses, row[0] if row else 0, server_cpu)


def bench_ceiling(workdir: Path, options, round_number: int, processes: int) -> Run:
    with ExitStack() as stack:
        servers = []
        for process in range(processes):
            port = free_port()
            command = [sys.executable, "-m", "waitress", "--host", "127.0.0.1", f"--port={port}",
                       f"--threads={SERVER_THREADS}", "bench.constant_app:app"]
            servers.append(stack.enter_context(
                running_server(command, port=port, log_path=workdir / f"constant-{process}.log")))
        elapsed, latencies, statuses, server_cpu = measure(servers, options)
    name = CEILING if processes == 1 else CEILING_TWO
    return Run(name, round_number, elapsed, latencies, statuses, statuses.get(200, 0), server_cpu)


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )
    return (
        f"{cpu}, {multiprocessing.cpu_count()} cores; {platform.platform()}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, PostgreSQL {server_binaries().parts[-2]} (Debian), "
        f"waitress {version('waitress')}, psycopg {version('psycopg')}"
    )


def ratios(runs: list[Run], name: str, ceiling: str) -> list[float]:
    """Counted hits per second over the ceiling's replies per second, round by round."""
    by_round = {(run.name, run.round): run for run in runs}
    rounds = sorted({run.round for run in runs})
    return [by_round[name, number].per_second / by_round[ceiling, number].per_second for number in rounds]


def cpu_ratios(runs: list[Run], name: str, ceiling: str) -> list[float]:
    """The ceiling's server CPU per request over the counter's (its processes only, not PostgreSQL's)."""
    by_round = {(run.name, run.round): run for run in runs}
    rounds = sorted({run.round for run in runs})
    return [(by_round[ceiling, number].server_cpu / len(by_round[ceiling, number].latencies))
            / (by_round[name, number].server_cpu / len(by_round[name, number].latencies)) for number in rounds]


def report(runs: list[Run], options, load_before: tuple[float, float, float]) -> str:
    lines = [
        "# Visit counter load test",
        "",
        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        "- Load average before the run (other work on the machine): "
        + ", ".join(f"{value:.2f}" for value in load_before),
        f"- Load: {options.requests} POST /api/hit per run from {options.clients} client processes "
        f"(one keep-alive connection each) on the same machine, every hit a distinct visitor; "
        f"waitress with {SERVER_THREADS} threads per process; {options.rounds} rounds, the four runs "
        "of each round in a rotated order",
        "- PostgreSQL: a throwaway server with its default settings (fsync on); the counter's commits use "
        "synchronous_commit = off (docs/COUNTER.md)",
        f"- Command: `python -m bench.counter_load --rounds {options.rounds}`",
        "",
        "| round | server | requests | statuses | counted | seconds | counted/s | p50 ms | p99 ms | server CPU µs/request |",
        "| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in sorted(runs, key=lambda run: (run.round, run.name)):
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(run.statuses.items()))
        lines.append(
            f"| {run.round} | {run.name} | {len(run.latencies)} | {statuses} | {run.counted} | {run.elapsed:.2f} "
            f"| {run.per_second:.0f} | {run.percentile_ms(0.5):.2f} | {run.percentile_ms(0.99):.2f} "
            f"| {1e6 * run.server_cpu / len(run.latencies):.0f} |"
        )
    lines += [
        "",
        "Each counter against the constant-reply ceiling of the same round: counted hits per second as a",
        "share of the ceiling's, and the ceiling's server CPU per request as a share of the counter's",
        "(the CPU figure moves less with the machine's other load):",
        "",
        "| counter | ceiling | throughput, each round | median | CPU, each round | median |",
        "| --- | --- | --- | ---: | --- | ---: |",
    ]
    for name, ceiling in ((SQLITE, CEILING), (POSTGRESQL, CEILING_TWO)):
        throughput, cpu = ratios(runs, name, ceiling), cpu_ratios(runs, name, ceiling)
        lines.append(
            f"| {name} | {ceiling} | {', '.join(f'{ratio:.0%}' for ratio in throughput)} "
            f"| {statistics.median(throughput):.0%} | {', '.join(f'{ratio:.0%}' for ratio in cpu)} "
            f"| {statistics.median(cpu):.0%} |"
        )
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    load_before = os.getloadavg()
    runs = []
    with tempfile.TemporaryDirectory() as workdir, throwaway_postgresql(durable=True) as postgresql:
        benches = [
            lambda number: bench_sqlite(Path(workdir), options, number),
            lambda number: bench_ceiling(Path(workdir), options, number, 1),
            lambda number: bench_postgresql(Path(workdir), options, number, postgresql.url()),
            lambda number: bench_ceiling(Path(workdir), options, number, 2),
        ]
        for number in range(1, options.rounds + 1):
            shift = (number - 1) % len(benches)
            for bench in benches[shift:] + benches[:shift]:
                runs.append(bench(number))
                print(f"round {number}: {runs[-1].name}: {runs[-1].per_second:.0f} counted/s", flush=True)
    text = report(runs, options, load_before)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
