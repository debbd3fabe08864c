#!/usr/bin/env python3
"""The report of perf/experiments/conflation.sh: markdown tables from a run's raw outputs.

    conflation-report.py OUT PASSES SLOW_SECONDS FAST_SECONDS
"""
import glob
import gzip
import json
import os
import re
import statistics
import subprocess
import sys

OUT, PASSES, SLOW, FAST = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
INSTRUMENTS = 50
GC = re.compile(r"\[(\d+\.\d+)s\].*Pause.* (\d+)M->(\d+)M\((\d+)M\)")


def last_json(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        lines = [line for line in f.read().splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def sub_summary(d):
    for name in ("sub.json", "sub.out", "sub.out.gz"):
        p = os.path.join(d, name)
        if os.path.exists(p) and os.path.getsize(p) > 0:
            s = last_json(p)
            if s is not None:
                return s
    return None


def ms(v):
    return f"{v / 1000:.1f}" if v < 100_000 else f"{v / 1000:,.0f}"


def heap(d):
    """Heap after each GC of the subscriber: first after the warm-up, last, max (MB), and how many GCs."""
    p = os.path.join(d, "sub-gc.log")
    if not os.path.exists(p):
        return "-"
    after = [(float(m.group(1)), int(m.group(3))) for m in map(GC.search, open(p)) if m]
    if not after:
        return "no GC"
    late = [a for t, a in after if t > 10] or [a for _, a in after]
    return f"{late[0]} / {late[-1]} / {max(late)} ({len(after)} GCs)"


def last_quotes(d):
    p, s = os.path.join(d, "publisher-last.txt"), os.path.join(d, "listener-last.txt")
    if not os.path.exists(p):
        return "-"
    pub = set(open(p).read().splitlines())
    sub = set(open(s).read().splitlines())
    return f"{len(pub & sub)} of {len(pub)}"


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // (1024 * 1024) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return f"{os.cpu_count()} cores, {cpu}, {mem} GiB, {java}"


def scenario(name):
    return sorted(glob.glob(os.path.join(OUT, "pass*", name)))


print(f"## Conflation benchmark ({os.path.basename(OUT).split('-', 1)[1]})")
print()
print(f"Command: `perf/experiments/conflation.sh {PASSES} {SLOW} {FAST}`. Machine: {machine()}. "
      f"Every process a `scripts/feed` JVM on this host, 50 instruments, publisher "
      f"`--idle {os.environ.get('PUB_IDLE', 'park')}`, tcp loopback (`-shm`: the shared-memory log); "
      f"5 s warm-up left out of the percentiles. Load average when the report was written: "
      f"{' '.join(open('/proc/loadavg').read().split()[:3])} (work of others on the host counts: compare it with the number of cores).")
print()
print(f"### A listener that spends 50 µs per update, 200k updates/s, {SLOW} s")
print()
print("Age: the listener call's time minus the source timestamp of the newest update the quote carries. "
      "Heap: the subscriber's heap after GC in MB (first after 10 s / last / max, from -Xlog:gc). "
      "Last quotes: instruments whose last quote delivered (or snapshot) is the publisher's last "
      "(sequence, bid, ask), from the publisher's journal.")
print()
print("| pass | scenario | published/s | delivered | merged (`conflated`) | trades dropped | gaps | unrecoverable "
      "| snapshots | age p50 ms | age p99 ms | age max ms | latency p99 ms | ring full | heap MB | last quotes |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for name in ("slow-conflate-quotes", "slow-conflate-quotes-shm", "slow-conflate", "slow-conflate-bound", "slow-plain"):
    for d in scenario(name):
        s, p = sub_summary(d), last_json(os.path.join(d, "pub.out"))
        if s is None or p is None:
            print(f"| {d.split('/')[-2]} | {name} | failed: see {d} |")
            continue
        age = s["age_us"]
        print(f"| {d.split('/')[-2][4:]} | {name} | {p['updatesPerSecond']:,} | {s['received']:,} | "
              f"{s['conflated']:,} | {s['tradesDropped']:,} | {s['gapsDetected']:,} | {s['unrecoverable']:,} | "
              f"{s['snapshots']} | {ms(age['p50'])} | {ms(age['p99'])} | {ms(age['max'])} | "
              f"{ms(s['latency_us']['p99'])} | {s['ringFull']:,} | {heap(d)} | {last_quotes(d)} |")
print()
print(f"### A listener that keeps up (no work), 200k updates/s, {FAST} s: without and with `--conflate`")
print()
print("| pass | scenario | delivered | merged | gaps | unrecoverable | latency p50 µs | p90 µs | p99 µs | p99.9 µs "
      "| max µs |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
medians = {}
for name in ("fast-plain", "fast-conflate"):
    for d in scenario(name):
        s = sub_summary(d)
        if s is None:
            print(f"| {d.split('/')[-2]} | {name} | failed: see {d} |")
            continue
        lat = s["latency_us"]
        medians.setdefault(name, []).append((lat["p50"], lat["p99"]))
        print(f"| {d.split('/')[-2][4:]} | {name} | {s['received']:,} | {s['conflated']:,} | {s['gapsDetected']} "
              f"| {s['unrecoverable']:,} | {lat['p50']:,.0f} | {lat['p90']:,.0f} | {lat['p99']:,.0f} | "
              f"{lat['p999']:,.0f} | {lat['max']:,.0f} |")
if len(medians) == 2:
    plain = [statistics.median(v) for v in zip(*medians["fast-plain"])]
    confl = [statistics.median(v) for v in zip(*medians["fast-conflate"])]
    print()
    print(f"Median over passes, with `--conflate` / without: p50 {confl[0] / plain[0]:.2f}×, "
          f"p99 {confl[1] / plain[1]:.2f}×.")
print()
print(f"### The publisher's conflated stream, `--conflate-interval 100ms`, {FAST} s")
print()
print("| pass | feed rate | feed updates/s | stream messages | per instrument per second (mean) | "
      "busiest instrument per second | stream bytes/s | subscriber: messages | quotes | merged | gaps |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for name in ("stream-200k", "stream-1m"):
    for d in scenario(name):
        s, p = sub_summary(d), last_json(os.path.join(d, "pub.out"))
        if s is None or p is None:
            print(f"| {d.split('/')[-2]} | {name} | failed: see {d} |")
            continue
        c, seconds = p["conflated"], p["elapsedSeconds"]
        busiest = max(s["topics"].values()) if s["topics"] else 0
        per_topic = {}
        out = os.path.join(d, "sub.out")
        if os.path.exists(out):
            for line in open(out):
                f = line.split(" ", 2)
                if len(f) > 1 and f[1] == "Q":
                    per_topic[f[0]] = per_topic.get(f[0], 0) + 1
        quotes = sum(per_topic.values())
        busiest = max(per_topic.values()) / seconds if per_topic else 0
        print(f"| {d.split('/')[-2][4:]} | {name[7:]} | {p['updatesPerSecond']:,} | {c['messages']:,} | "
              f"{c['messages'] / INSTRUMENTS / seconds:.2f} | {busiest:.2f} | {c['bytesSent'] / seconds:,.0f} | "
              f"{s['batches']:,} | {quotes:,} | {s['conflated']:,} | {s['gapsDetected']} |")
