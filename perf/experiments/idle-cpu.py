#!/usr/bin/env python3
"""One line per process: cores over a window, and the busy threads' cores and wake-ups per second (voluntary context
switches: the thread blocked and was woken), from /proc (the snapshot of thread-cpu.py).

    idle-cpu.py SECONDS LABEL NAME=PID [NAME=PID ...]
"""
import importlib.util
import os
import sys
import time

spec = importlib.util.spec_from_file_location(
    "thread_cpu", os.path.join(os.path.dirname(os.path.abspath(__file__)), "thread-cpu.py"))
thread_cpu = importlib.util.module_from_spec(spec)
spec.loader.exec_module(thread_cpu)


def main():
    seconds = float(sys.argv[1])
    label = sys.argv[2]
    processes = [arg.split("=", 1) for arg in sys.argv[3:]]
    before = {name: thread_cpu.snapshot(pid) for name, pid in processes}
    time.sleep(seconds)
    after = {name: thread_cpu.snapshot(pid) for name, pid in processes}
    for name, pid in processes:
        rows = {}
        for tid, (thread, cpu, vol, _) in after[name].items():
            b = before[name].get(tid, (thread, 0.0, 0, 0))
            r = rows.setdefault(thread_cpu.group(thread), [0.0, 0])
            r[0] += cpu - b[1]
            r[1] += vol - b[2]
        total = sum(r[0] for r in rows.values()) / seconds
        busy = sorted(((k, c / seconds, v / seconds) for k, (c, v) in rows.items()
                       if c / seconds >= 0.001 or v / seconds >= 5), key=lambda t: (-t[1], -t[2]))
        threads = " ".join(f"{k.replace(' ', '_')}={c:.3f}/{v:.0f}" for k, c, v in busy)
        print(f"{label:<12} {name:<4} {total:6.3f} cores  {threads}", flush=True)


if __name__ == "__main__":
    main()
