"""What an uncaught exception in one Python thread does to the others, for notebook 05.

Three plain threads, of which the second raises; then the same three tasks on a
ThreadPoolExecutor. Prints JSON: the results of the threads that finished, the exceptions the others
raised, and what the pool's futures hold.

    python3 crash.py

Our own code, written for this kit.
"""

import concurrent.futures as futures
import json
import sys
import threading
import time


def task(i):
    time.sleep(0.05)
    if i == 1:
        raise RuntimeError("task 1 crashed")
    return i * i


def main():
    finished, raised = [], []
    # The default hook prints the traceback to stderr; record it instead.
    threading.excepthook = lambda args: raised.append(repr(args.exc_value))
    threads = [threading.Thread(target=lambda i=i: finished.append(task(i))) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with futures.ThreadPoolExecutor(max_workers=3) as ex:
        fs = [ex.submit(task, i) for i in range(3)]
    pool = [repr(f.exception()) if f.exception() else f.result() for f in fs]
    json.dump({"threads_finished": sorted(finished), "threads_raised": raised,
               "pool_results": pool}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
