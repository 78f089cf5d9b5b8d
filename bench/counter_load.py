"""Load test of the counter on loopback: counted hits per second and latency.

    python -m bench.counter_load [--requests 20000] [--clients 2] [--seconds 60]

Runs the counter under waitress, then the same waitress serving a constant
reply (the ceiling), each hit by --clients processes that send, on one
keep-alive connection each, POST /api/hit as a browser would. Every request
comes through the trusted loopback proxy with its own X-Forwarded-For, so
every hit is a distinct visitor: counted, and not rate limited. Bounded by
--requests in total and --seconds per run. Writes bench/COUNTER-RESULTS.md.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from tests.counter_server import REPO_ROOT, free_port, running_counter, running_server

PAGE = "/tin-tuc/abc.html"
ORIGIN = "http://127.0.0.1:8000"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
SERVER_THREADS = 8
RESULTS = REPO_ROOT / "bench" / "COUNTER-RESULTS.md"


@dataclass
class Run:
    name: str
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
            "X-Forwarded-For": f"2001:db8::{number:x}",
        }
        sent = time.perf_counter()
        connection.request("POST", "/api/hit", body, headers)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - sent)
        statuses[response.status] = statuses.get(response.status, 0) + 1
    results.put((began, time.time(), latencies, statuses))
    connection.close()


def load(port: int, requests: int, clients: int, seconds: float) -> tuple[float, list[float], dict[int, int]]:
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(clients + 1), context.Queue()
    share = requests // clients
    deadline = time.time() + seconds + 30  # generous room for the processes to start
    workers = [
        context.Process(target=send_hits, args=(port, index * share, share, deadline, start, results))
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


def measure(server, options) -> tuple[float, list[float], dict[int, int], float]:
    port = int(server.url.rsplit(":", 1)[1])
    cpu_before = cpu_seconds(server.process.pid)
    elapsed, latencies, statuses = load(port, options.requests, options.clients, options.seconds)
    return elapsed, latencies, statuses, cpu_seconds(server.process.pid) - cpu_before


def counted_total(db_path: Path) -> int:
    with sqlite3.connect(db_path) as db:
        row = db.execute("SELECT visits FROM tallies WHERE scope = 'total'").fetchone()
    return row[0] if row else 0


def bench_counter(workdir: Path, options) -> Run:
    manifest, db = workdir / "counter-manifest.json", workdir / "counter.sqlite3"
    manifest.write_text(json.dumps([PAGE]))
    flags = ["--db", str(db), "--manifest", str(manifest), "--origins", ORIGIN,
             "--trusted-proxy", "127.0.0.1", "--threads", str(SERVER_THREADS)]
    with running_counter(*flags, log_path=workdir / "counter.log") as server:
        elapsed, latencies, statuses, server_cpu = measure(server, options)
    return Run("counter (waitress)", elapsed, latencies, statuses, counted_total(db), server_cpu)


def bench_ceiling(workdir: Path, options) -> Run:
    port = free_port()
    command = [sys.executable, "-m", "waitress", "--host", "127.0.0.1", f"--port={port}",
               f"--threads={SERVER_THREADS}", "bench.constant_app:app"]
    with running_server(command, port=port, log_path=workdir / "constant.log") as server:
        elapsed, latencies, statuses, server_cpu = measure(server, options)
    return Run("constant reply (waitress)", elapsed, latencies, statuses, statuses.get(200, 0), server_cpu)


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )
    return (
        f"{cpu}, {multiprocessing.cpu_count()} cores; {platform.platform()}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, waitress {version('waitress')}"
    )


def report(runs: list[Run], options, load_before: tuple[float, float, float]) -> str:
    counter, ceiling = runs
    lines = [
        "# Visit counter load test",
        "",
        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        "- Load average before the run (other work on the machine): "
        + ", ".join(f"{value:.2f}" for value in load_before),
        f"- Load: {options.requests} POST /api/hit from {options.clients} client processes "
        f"(one keep-alive connection each) on the same machine, every hit a distinct visitor; "
        f"server: one waitress process, {SERVER_THREADS} threads, SQLite WAL",
        "- Command: `python -m bench.counter_load`",
        "",
        "| server | requests | statuses | counted | seconds | counted/s | p50 ms | p99 ms | server CPU µs/request |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(run.statuses.items()))
        lines.append(
            f"| {run.name} | {len(run.latencies)} | {statuses} | {run.counted} | {run.elapsed:.2f} "
            f"| {run.per_second:.0f} | {run.percentile_ms(0.5):.2f} | {run.percentile_ms(0.99):.2f} "
            f"| {1e6 * run.server_cpu / len(run.latencies):.0f} |"
        )
    lines += [
        "",
        f"Counter throughput is {counter.per_second / ceiling.per_second:.0%} of the constant-reply ceiling.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    options = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as workdir:
        runs = [bench_counter(Path(workdir), options), bench_ceiling(Path(workdir), options)]
    text = report(runs, options, load_before)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
