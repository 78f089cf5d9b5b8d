"""Several threads and several processes on one store lose no increment."""

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

from tests.counter.support import PAGE, FakeClock, WsgiClient, local_time

from counter.app import CounterApp
from counter.store import open_store

THREADS = 8
HITS_PER_THREAD = 60
PROCESSES = 3
HITS_PER_PROCESS = 150


def reader_address(worker: int, number: int) -> str:
    return f"2001:db8:{worker:x}:{number:x}::1"


def test_many_threads_lose_no_increment(client):
    start = threading.Barrier(THREADS)

    def read_pages(worker: int) -> list[int]:
        start.wait()
        return [client.hit(address=reader_address(worker, n)).status for n in range(HITS_PER_THREAD)]

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = [status for batch in pool.map(read_pages, range(THREADS)) for status in batch]

    expected = THREADS * HITS_PER_THREAD
    assert statuses == [200] * expected
    assert client.stats().body == {"total": expected, "online": expected, "today": expected, "page": expected}


def test_one_reader_racing_on_many_threads_counts_once(client):
    start = threading.Barrier(THREADS)

    def reload(_):
        start.wait()
        return client.hit().status

    with ThreadPoolExecutor(THREADS) as pool:
        assert list(pool.map(reload, range(THREADS))) == [200] * THREADS

    assert client.stats().body["total"] == 1


def hit_from_process(config, worker: int, start) -> None:
    clock = FakeClock(local_time(2026, 11, 26, 10, 0, 0))
    start.wait()
    store = open_store(config.database)
    client = WsgiClient(CounterApp(config, store, clock))
    for number in range(HITS_PER_PROCESS):
        assert client.hit(address=reader_address(worker, number)).status == 200
    store.close()


def test_several_processes_on_one_database_lose_no_increment(make_config, make_client):
    config = make_config()
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(PROCESSES)
    workers = [
        context.Process(target=hit_from_process, args=(config, worker, start))
        for worker in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert [worker.exitcode for worker in workers] == [0] * PROCESSES
    expected = PROCESSES * HITS_PER_PROCESS
    answer = make_client().stats(PAGE)
    assert answer.body == {"total": expected, "online": expected, "today": expected, "page": expected}
