"""Per-task overhead of Python's pools, for notebook 06: what a tiny task (squaring a number)
costs on 2 worker processes when it goes through

- concurrent.futures.ProcessPoolExecutor: submit (one future per call), and map with its
  default chunksize=1 (one message per task);
- multiprocessing.Pool: apply_async (one AsyncResult per call), map with chunksize=1, and map
  with its default chunksize, ceil(len(inputs) / (4 x workers)): a few big messages;
- concurrent.futures.ThreadPoolExecutor: submit, for threads.

    python3 overhead.py           # prints a JSON list: [{"label", "us_per_task", "tasks"}, ...]
    PARKIT_QUICK=1 python3 ...    # fewer tasks

Our own code, written for this kit.
"""

import concurrent.futures as futures
import json
import multiprocessing
import os
import sys
import time

QUICK = os.environ.get("PARKIT_QUICK") == "1"
N = 1000 if QUICK else 2000  # tasks per measurement, the same for every row
WORKERS = 2


def square(n):
    return n * n


def measure(rows, label, n, run):
    """Runs run(n) and appends its cost per task, in microseconds, to rows."""
    start = time.perf_counter()
    run(n)
    rows.append({"label": label, "us_per_task": (time.perf_counter() - start) / n * 1e6, "tasks": n})


def main():
    rows = []
    with futures.ProcessPoolExecutor(max_workers=WORKERS) as ex:
        list(ex.map(square, range(100)))  # start the workers first: not counted
        measure(rows, "ProcessPoolExecutor: submit, one future per task", N,
                lambda n: [f.result() for f in [ex.submit(square, i) for i in range(n)]])
        measure(rows, "ProcessPoolExecutor.map, chunksize=1 (its default)", N,
                lambda n: list(ex.map(square, range(n))))
    with multiprocessing.Pool(WORKERS) as pool:
        pool.map(square, range(100))  # start the workers first: not counted
        measure(rows, "multiprocessing.Pool: apply_async, one result per task", N,
                lambda n: [r.get() for r in [pool.apply_async(square, (i,)) for i in range(n)]])
        measure(rows, "multiprocessing.Pool.map, chunksize=1", N,
                lambda n: pool.map(square, range(n), chunksize=1))
        measure(rows, "multiprocessing.Pool.map, default chunksize (len / (4 x workers))", N,
                lambda n: pool.map(square, range(n)))
    with futures.ThreadPoolExecutor(max_workers=WORKERS) as ex:
        measure(rows, "ThreadPoolExecutor: submit, one future per task", N,
                lambda n: [f.result() for f in [ex.submit(square, i) for i in range(n)]])
    json.dump(rows, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
