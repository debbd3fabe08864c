#!/usr/bin/env python3
"""Per-thread CPU and context switches of running processes over a window, from /proc.

    thread-cpu.py SECONDS NAME=PID [NAME=PID ...]

For each process: its minor page faults per second (first touches of memory: a JVM heap that was not pre-touched),
every thread's CPU time (utime + stime from /proc/PID/task/TID/stat), its voluntary context
switches (it blocked: waits for work) and its involuntary ones (the kernel took the core away: contention), over
the window, threads of the same name summed (JVM GC and compiler threads, for instance). Used by
jeromq-tail-anatomy.sh; see docs/jeromq-tail.md.
"""
import os
import re
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def snapshot(pid):
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                status = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        cpu = (int(fields[11]) + int(fields[12])) / TICKS
        vol = int(re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status, re.M).group(1))
        invol = int(re.search(r"^nonvoluntary_ctxt_switches:\s+(\d+)", status, re.M).group(1))
        threads[tid] = (name, cpu, vol, invol)
    return threads


def group(name):
    # JVM worker pools: "GC Thread#0", "C2 CompilerThre", "G1 Conc#0" ... one line per kind.
    return re.sub(r"#?\d+$", "#n", name)


def minor_faults(pid):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    return int(stat[stat.rindex(")") + 2:].split()[7])


def main():
    seconds = float(sys.argv[1])
    processes = [arg.split("=", 1) for arg in sys.argv[2:]]
    faults = {name: minor_faults(pid) for name, pid in processes}
    before = {name: snapshot(pid) for name, pid in processes}
    time.sleep(seconds)
    after = {name: snapshot(pid) for name, pid in processes}
    faults = {name: minor_faults(pid) - faults[name] for name, pid in processes}
    for name, pid in processes:
        rows = {}
        for tid, (thread, cpu, vol, invol) in after[name].items():
            b = before[name].get(tid, (thread, 0.0, 0, 0))
            key = group(thread)
            r = rows.setdefault(key, [0.0, 0, 0])
            r[0] += cpu - b[1]
            r[1] += vol - b[2]
            r[2] += invol - b[3]
        total = sum(r[0] for r in rows.values())
        print(f"{name} (pid {pid}): {total / seconds:.3f} cores over {seconds:.0f} s, "
              f"{faults[name] / seconds:.0f} minor page faults/s")
        print(f"  {'thread':<24} {'cores':>6} {'vol cs/s':>9} {'invol cs/s':>10}")
        for key, (cpu, vol, invol) in sorted(rows.items(), key=lambda kv: -kv[1][0]):
            if cpu > 0 or vol > 0:
                print(f"  {key:<24} {cpu / seconds:6.3f} {vol / seconds:9.0f} {invol / seconds:10.0f}")


if __name__ == "__main__":
    main()
