#!/usr/bin/env python3
"""Top of stack and thread shares of a JFR recording's CPU samples: jfr-top.py FILE.jfr [N]"""
import json, subprocess, sys, collections
f = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 12
out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", f], capture_output=True, text=True).stdout
events = json.loads(out)["recording"]["events"]
threads = collections.Counter(); tops = collections.Counter(); total = 0
for e in events:
    v = e["values"]; st = v.get("stackTrace")
    if not st or not st.get("frames"): continue
    t = (v.get("sampledThread") or {}).get("javaName") or "?"
    t = "jeromq-io" if t.startswith("iothread") else t
    fr = st["frames"][0]["method"]; cls = fr["type"]["name"].split(".")[-1]
    total += 1; threads[t] += 1; tops[t + ": " + cls + "." + fr["name"]] += 1
print(f"{total} CPU samples")
for t, c in threads.most_common(8): print(f"thread {t:20s} {100*c/total:5.1f}%")
for m, c in tops.most_common(n): print(f"  {100*c/total:5.1f}%  {m}")
