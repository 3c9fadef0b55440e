"""Per-task overhead of Python's pools, for notebook 06: what a tiny task costs when it
goes through ProcessPoolExecutor.submit (one future per call), executor.map with the
default chunksize=1 (one message per task), and executor.map with chunksize=1000.

    python3 overhead.py           # prints JSON: {"label": microseconds per task, ...}
    PARKIT_QUICK=1 python3 ...    # fewer tasks

Our own code, written for this kit.
"""

import concurrent.futures as futures
import json
import os
import sys
import time

QUICK = os.environ.get("PARKIT_QUICK") == "1"
N_SLOW = 500 if QUICK else 2000      # paths with one message per task
N_FAST = 20000 if QUICK else 200000  # batched paths


def square(n):
    return n * n


def per_task_us(n, run):
    start = time.perf_counter()
    run(n)
    return (time.perf_counter() - start) / n * 1e6


def main():
    out = {}
    with futures.ProcessPoolExecutor(max_workers=2) as ex:
        list(ex.map(square, range(100)))  # start the workers first: not counted
        out["processes: submit + result, one future per task"] = per_task_us(
            N_SLOW, lambda n: [f.result() for f in [ex.submit(square, i) for i in range(n)]])
        out["processes: map, chunksize=1 (the default)"] = per_task_us(
            N_SLOW, lambda n: list(ex.map(square, range(n))))
        out["processes: map, chunksize=1000"] = per_task_us(
            N_FAST, lambda n: list(ex.map(square, range(n), chunksize=1000)))
    with futures.ThreadPoolExecutor(max_workers=2) as ex:
        out["threads: submit + result, one future per task"] = per_task_us(
            N_FAST, lambda n: [f.result() for f in [ex.submit(square, i) for i in range(n)]])
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
