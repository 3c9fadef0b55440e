"""The experiment of "Parallelize your Python!" (2016), in Python, for notebook 04.

Runs TASKS copies of a task on a concurrent.futures pool of WORKERS threads or processes,
as the article does (ex.map over the start time), and prints the timeline as JSON in
parkit's schema (see parkit/export.go) plus "serial_ns" and "cpu_time_ns", so the Go
notebook can draw it beside Go's:

    python3 experiment.py threads busy        # or: processes idle, ...
    PARKIT_QUICK=1 python3 experiment.py ...  # shorter tasks, same shape

Our own code, written for this kit; the tasks are the article's: sleep 2 s ("idle") and
sum(range(10**7)) ("busy").
"""

import concurrent.futures as futures
import itertools
import json
import os
import sys
import threading
import time

QUICK = os.environ.get("PARKIT_QUICK") == "1"
IDLE_SECONDS = 0.2 if QUICK else 2.0
BUSY_N = 10**6 if QUICK else 10**7


def where():
    """The process, OS thread and CPU running the caller (CPU: Linux only, else -1)."""
    cpu = -1
    try:
        with open("/proc/thread-self/stat") as f:
            cpu = int(f.read().rsplit(")", 1)[1].split()[36])
    except (OSError, IndexError, ValueError):
        pass
    return os.getpid(), threading.get_native_id(), cpu


def idle(start_ns):
    begin = time.time_ns()
    time.sleep(IDLE_SECONDS)
    return (begin - start_ns, time.time_ns() - start_ns) + where()


def busy(start_ns):
    begin = time.time_ns()
    sum(range(BUSY_N))  # one C call: it holds the GIL until it returns
    return (begin - start_ns, time.time_ns() - start_ns) + where()


def cpu_ns():
    t = os.times()  # children's time counts once the pool has joined them
    return int((t.user + t.system + t.children_user + t.children_system) * 1e9)


def main(argv):
    kind = argv[1] if len(argv) > 1 else "threads"
    name = argv[2] if len(argv) > 2 else "idle"
    workers = int(argv[3]) if len(argv) > 3 else 5
    tasks = int(argv[4]) if len(argv) > 4 else 15
    executor = {"threads": futures.ThreadPoolExecutor, "processes": futures.ProcessPoolExecutor}[kind]
    function = {"idle": idle, "busy": busy}[name]

    if name == "busy":
        # Warm the CPU up first, as parkit's calibration does: an idle CPU
        # runs slowly for the first few hundred milliseconds of load.
        warm_until = time.monotonic() + 0.4
        while time.monotonic() < warm_until:
            sum(range(10**5))
    serial_start = time.time_ns()
    function(serial_start)  # one task alone: the serial baseline
    serial = (time.time_ns() - serial_start) * tasks

    cpu_before = cpu_ns()
    start = time.time_ns()
    with executor(max_workers=workers) as ex:  # the article's first form: map
        results = list(ex.map(function, itertools.repeat(start, tasks)))
    cpu = cpu_ns() - cpu_before

    # A pool does not say which worker ran a task: number the (process, thread) pairs
    # in the order they first started a task.
    first_start = {}
    for begin, _, pid, tid, _ in results:
        first_start[(pid, tid)] = min(begin, first_start.get((pid, tid), begin))
    worker = {key: i for i, key in enumerate(sorted(first_start, key=first_start.get))}

    detail = "sleep %gs" % IDLE_SECONDS if name == "idle" else "sum(range(%d))" % BUSY_N
    json.dump({
        "executor": "python " + kind,
        "workload": "%s (%s)" % (name, detail),
        "workers": workers, "tasks": tasks,
        "gomaxprocs": 0, "num_cpu": os.cpu_count(),
        "makespan_ns": max(end for _, end, _, _, _ in results),
        "serial_ns": serial, "cpu_time_ns": cpu,
        "spans": [{"task": i, "worker": worker[(pid, tid)], "pid": pid, "tid": tid, "cpu": c,
                   "start_ns": begin, "end_ns": end, "error": ""}
                  for i, (begin, end, pid, tid, c) in enumerate(results)],
    }, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main(sys.argv)
