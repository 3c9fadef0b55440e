"""Python's executors on the same tasks as bench/*_test.go, for the table.

Run by `go run ./cmd/benchtable` (from bench/) with Debian's python3 (standard
library only). Prints one JSON object: {"python": version, "results":
{key: [sample, ...]}}, each key a measure and each sample one run's value:
ns per task for the tiny-task and process rows, MB/s for throughput, bytes
for memory.
"""

import argparse
import concurrent.futures as cf
import itertools
import json
import multiprocessing
import multiprocessing.dummy
import os
import sys
import threading
import time

_counter = itertools.count()


def tiny(n):
    """The tiny task: an atomic add (next() on a count holds the GIL)."""
    return next(_counter) + n


def length(b):
    """The throughput task: receive 1 MiB, return its length."""
    return len(b)


def per_task(fn, n):
    start = time.perf_counter_ns()
    fn(n)
    return (time.perf_counter_ns() - start) / n


def thread_rows(workers, n):
    out = {}
    with cf.ThreadPoolExecutor(workers) as ex:
        ex.submit(tiny, 1).result()
        out["tpe-submit-wait"] = per_task(lambda n: [ex.submit(tiny, 1).result() for _ in range(n)], n)
        out["tpe-fire-wait-all"] = per_task(lambda n: [f.result() for f in [ex.submit(tiny, 1) for _ in range(n)]], n)
        out["tpe-map"] = per_task(lambda n: list(ex.map(tiny, itertools.repeat(1, n))), n)
    with multiprocessing.dummy.Pool(workers) as pool:
        out["dummy-pool-map"] = per_task(lambda n: pool.map(tiny, itertools.repeat(1, n)), n)
    return out


def vm_rss(pid="self"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def process_rows(workers, n_round, n_payload):
    out = {}
    payload = bytes(1 << 20)
    # Start-up: a new pool of one worker up to its first result.
    start = time.perf_counter_ns()
    with cf.ProcessPoolExecutor(1) as ex:
        ex.submit(tiny, 1).result()
        out["ppe-startup"] = time.perf_counter_ns() - start
        out["ppe-round-trip"] = per_task(lambda n: [ex.submit(tiny, 1).result() for _ in range(n)], n_round)
    start = time.perf_counter_ns()
    with multiprocessing.Pool(1) as pool:
        pool.apply(tiny, (1,))
        out["mp-pool-startup"] = time.perf_counter_ns() - start
        out["mp-pool-round-trip"] = per_task(lambda n: [pool.apply(tiny, (1,)) for _ in range(n)], n_round)
    with cf.ProcessPoolExecutor(workers) as ex:
        list(ex.map(length, [payload] * workers))
        start = time.perf_counter_ns()
        list(ex.map(length, [payload] * n_payload))
        out["ppe-payload"] = n_payload * len(payload) / ((time.perf_counter_ns() - start) / 1e9) / 1e6
        # RSS of a worker after real use, as the Go row reads it.
        list(ex.map(tiny, range(50 * workers)))
        pids = list(ex._processes.keys())
        out["ppe-worker-rss"] = sum(vm_rss(p) for p in pids) / len(pids)
    with multiprocessing.Pool(workers) as pool:
        pool.map(length, [payload] * workers)
        start = time.perf_counter_ns()
        pool.map(length, [payload] * n_payload, chunksize=1)
        out["mp-pool-payload"] = n_payload * len(payload) / ((time.perf_counter_ns() - start) / 1e9) / 1e6
    return out


def thread_rss(n):
    """RSS growth per idle threading.Thread."""
    release = threading.Event()
    before = vm_rss()
    threads = [threading.Thread(target=release.wait) for _ in range(n)]
    for t in threads:
        t.start()
    after = vm_rss()
    release.set()
    for t in threads:
        t.join()
    return (after - before) / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workers", default="5,%d" % os.cpu_count(), help="thread pool sizes; the last is P")
    ap.add_argument("--tasks", type=int, default=20000, help="tiny tasks per thread-pool run")
    ap.add_argument("--round-trips", type=int, default=2000)
    ap.add_argument("--payloads", type=int, default=64)
    args = ap.parse_args()

    sizes = [int(w) for w in args.workers.split(",")]
    names = ["w=5", "w=P"] if len(sizes) == 2 else ["w=%d" % w for w in sizes]
    results = {}

    def add(key, value):
        results.setdefault(key, []).append(value)

    for _ in range(args.runs):
        for name, w in zip(names, sizes):
            for k, v in thread_rows(w, args.tasks).items():
                add(f"{k}/{name}", v)
        for k, v in process_rows(os.cpu_count(), args.round_trips, args.payloads).items():
            add(k, v)
        add("thread-rss", thread_rss(200))
    json.dump({"python": sys.version.split()[0], "executable": sys.executable, "results": results}, sys.stdout)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")  # Linux's default before 3.14; said in the table
    main()
