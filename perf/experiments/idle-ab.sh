#!/bin/bash
# Flat out, main's publisher with --idle park (default) against --idle backoff, interleaved, 3 rounds (docs/benchmarks-structure.md).
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
for r in 1 2 3; do for idle in park backoff; do
  port=$((30000 + RANDOM % 20000))
  scripts/feed subscribe --connect tcp://127.0.0.1:$port --exit-on-end --duration 60s --warmup 2s --no-recovery > /tmp/idle-sub.out 2>/tmp/idle-sub.err &
  sp=$!
  scripts/feed publish --bind tcp://127.0.0.1:$port --await-subscribers 1 --await-timeout 30s --duration 10s --warmup 2s --rate max --instruments 10 --batch-max-updates 256 --backpressure block --recovery-bind none --idle $idle > /tmp/idle-pub.out 2>/tmp/idle-pub.err
  wait $sp
  rate=$(tail -1 /tmp/idle-sub.out | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(d["measured"].get("updatesPerSecond"), d["received"], d["lostUpdates"])')
  echo "round $r idle $idle: sub updatesPerSecond received lost = $rate; load $(cut -d' ' -f1 /proc/loadavg)"
done; done
