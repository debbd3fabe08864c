#!/bin/bash
# Flat out, builds side by side, interleaved: the bench's feed-tcp-max scenario by hand (publish --rate max,
# 10 instruments, 256 updates per batch at most, --backpressure block, recovery on, one subscriber), each run 12 s
# (2 s warm-up), per-thread CPU of both processes over seconds 7-12 after launch (thread-cpu.py), the subscriber's measured rate.
#
#   perf/experiments/flat-out-ab.sh ROUNDS NAME=ROOT[:PUBLISH ARGS] ...
#   e.g. flat-out-ab.sh 4 before=/work/wt/baseline after=/work/main "after-backoff=/work/main:--idle backoff"
#
# Each ROOT must have been built (scripts/feed builds it on first use). Output in bench-results/flat-out-<time>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
HERE=$(pwd)
ROUNDS=${1:?usage: flat-out-ab.sh ROUNDS NAME=ROOT[:ARGS] ...}
shift
OUT="$HERE/bench-results/flat-out-$(date +%H%M%S)"
mkdir -p "$OUT"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/summary.txt"
for r in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    name=${spec%%=*}; rest=${spec#*=}; root=${rest%%:*}; extra=""
    [ "$rest" != "$root" ] && extra=${rest#*:}
    port=$(( (20000 + RANDOM % 10000) * 2 ))
    "$root/scripts/feed" subscribe --connect "tcp://127.0.0.1:$port" --exit-on-end --duration 90s --warmup 2s \
      > "$OUT/$name-$r.sub.out" 2> "$OUT/$name-$r.sub.err" &
    sp=$!
    # shellcheck disable=SC2086
    "$root/scripts/feed" publish --bind "tcp://127.0.0.1:$port" --await-subscribers 1 --await-timeout 60s \
      --duration 12s --warmup 2s --rate max --instruments 10 --batch-max-updates 256 --backpressure block $extra \
      > "$OUT/$name-$r.pub.out" 2> "$OUT/$name-$r.pub.err" &
    pp=$!
    sleep 7
    spid=$(pgrep -P $sp java || echo $sp); ppid=$(pgrep -P $pp java || echo $pp)
    python3 perf/experiments/thread-cpu.py 5 pub="$ppid" sub="$spid" > "$OUT/$name-$r.threads" 2>&1 || true
    wait $pp || true
    wait $sp || true
    rate=$(tail -1 "$OUT/$name-$r.sub.out" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print("%.2f M/s lost %s" % (d["measured"]["updatesPerSecond"]/1e6, d["lostUpdates"]))' 2>/dev/null || echo "no summary")
    echo "round $r $name: $rate; load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/summary.txt"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
echo "raw: $OUT"
