"""The experiment of "Parallelize your Python!" (2016), in Python, for notebook 04.

Runs TASKS copies of a task on a concurrent.futures pool of WORKERS threads or processes,
as the article does (ex.map over the start time), and prints the timeline as JSON in
parkit's schema (see parkit/export.go), with "serial_ns", "cpu_time_ns", "cpu_limit" (the
cores this process may use: CPUs, affinity and cgroup quota) and "others_cores" (the cores
other programs used meanwhile) filled in, so the Go notebook can draw it beside Go's:

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


def cpu_limit():
    """The cores this process may really use: the least of the CPU count, the affinity mask
    and the CPU quota of its cgroup and the cgroups above it (v2 cpu.max, v1
    cpu.cfs_quota_us over cpu.cfs_period_us)."""
    limit = float(os.cpu_count() or 1)
    if hasattr(os, "sched_getaffinity"):
        limit = min(limit, len(os.sched_getaffinity(0)))
    try:
        with open("/proc/self/cgroup") as f:
            lines = [line.rstrip("\n").split(":", 2) for line in f]
    except OSError:
        return limit
    for _, controllers, path in lines:
        v2 = controllers == ""
        if not v2 and "cpu" not in controllers.split(","):
            continue
        root = "/sys/fs/cgroup" if v2 else "/sys/fs/cgroup/cpu"
        parts = [p for p in path.split("/") if p]
        for depth in range(len(parts), -1, -1):  # this cgroup, then each parent
            folder = os.path.join(root, *parts[:depth])
            limit = min(limit, quota_of(folder, v2))
    return limit


def quota_of(folder, v2):
    """The CPU quota set on one cgroup folder, in cores (infinity if none)."""
    try:
        if v2:
            with open(os.path.join(folder, "cpu.max")) as f:
                quota, period = f.read().split()
        else:
            with open(os.path.join(folder, "cpu.cfs_quota_us")) as f:
                quota = f.read().strip()
            with open(os.path.join(folder, "cpu.cfs_period_us")) as f:
                period = f.read().strip()
        if quota not in ("max", "-1"):
            return int(quota) / int(period)
    except (OSError, ValueError):
        pass
    return float("inf")


def machine_busy_ns():
    """CPU time all programs have used so far, from /proc/stat (0 where there is none)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) * 10**9 // os.sysconf("SC_CLK_TCK")


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
    # The serial baseline: one task alone, times the number of tasks, as parkit does it: a
    # busy task by its thread's CPU time (other programs on a busy machine delay it, they do
    # not make it longer), the best of three; an idle one by its wall time.
    one = []
    for _ in range(3 if name == "busy" else 1):
        serial_start, cpu_start = time.time_ns(), time.thread_time_ns()
        function(serial_start)
        took = time.thread_time_ns() - cpu_start if name == "busy" else time.time_ns() - serial_start
        one.append(took)
    serial = min(one) * tasks

    cpu_before, busy_before = cpu_ns(), machine_busy_ns()
    start = time.time_ns()
    with executor(max_workers=workers) as ex:  # the article's first form: map
        results = list(ex.map(function, itertools.repeat(start, tasks)))
    cpu = cpu_ns() - cpu_before
    elapsed = time.time_ns() - start
    others = max(0, machine_busy_ns() - busy_before - cpu) / elapsed if busy_before else 0.0

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
        "cpu_limit": cpu_limit(), "others_cores": round(others, 2),
        "spans": [{"task": i, "worker": worker[(pid, tid)], "pid": pid, "tid": tid, "cpu": c,
                   "start_ns": begin, "end_ns": end, "error": ""}
                  for i, (begin, end, pid, tid, c) in enumerate(results)],
    }, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main(sys.argv)
