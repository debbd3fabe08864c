#!/usr/bin/env bash
# The publisher's message rate and CPU under default flags, for several builds side by side (each a checkout with
# its distribution built), interleaved: for each round, case and build, one `feed subscribe` and one `feed publish`
# (tcp, recovery service on, as a new user runs them) at the case's rate over its instruments. Once the publisher
# reports traffic it waits WARMUP seconds, then reads utime + stime of both JVMs from /proc/PID/stat over WINDOW
# seconds. Prints per run: cores of each process, batches (messages) per second and updates per batch from the
# publisher's summary, and the subscriber's latency percentiles and losses.
#
#   perf/experiments/publisher-budget.sh ROUNDS "RATE:INSTRUMENTS ..." NAME=ROOT [NAME=ROOT ...]
#   e.g. perf/experiments/publisher-budget.sh 3 "1:10 10k:10 100k:10 1M:50" before=/tmp/before after=$PWD
#
# Environment: WARMUP (s, default 4), WINDOW (s, default 5), OUT (raw outputs, default /tmp/publisher-budget),
# PUB_ARGS / SUB_ARGS (extra flags for every publisher / subscriber).
set -euo pipefail
ROUNDS=$1; shift; CASES=$1; shift
WARMUP=${WARMUP:-4}; WINDOW=${WINDOW:-5}; OUT=${OUT:-/tmp/publisher-budget}
HZ=$(getconf CLK_TCK)
mkdir -p "$OUT"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
summary() { tail -n 1 "$1" 2>/dev/null | python3 -c "$2" 2>/dev/null || echo "(no summary)"; }

printf '%-8s %-6s %-5s %9s %9s %11s %9s %11s %9s %9s %s\n' build rate round pub_cores sub_cores batches/s \
  upd/batch published p50_us p99_us losses
for round in $(seq 1 "$ROUNDS"); do
  for case in $CASES; do
    rate=${case%%:*}; instruments=${case##*:}
    for build in "$@"; do
      name=${build%%=*}; root=${build#*=}
      dir="$OUT/$name-$rate-$instruments-r$round"; rm -rf "$dir"; mkdir -p "$dir"
      port=$((20000 + 2 * (RANDOM % 10000)))
      # shellcheck disable=SC2086
      FEED_NO_BUILD=1 "$root/scripts/feed" subscribe --connect "tcp://127.0.0.1:$port" --exit-on-end --warmup 6s \
        --duration 120s ${SUB_ARGS:-} > "$dir/sub.out" 2> "$dir/sub.err" &
      sub=$!
      # shellcheck disable=SC2086
      FEED_NO_BUILD=1 "$root/scripts/feed" publish --bind "tcp://127.0.0.1:$port" --rate "$rate" \
        --instruments "$instruments" --await-subscribers 1 --stats-interval 1s ${PUB_ARGS:-} \
        > "$dir/pub.out" 2> "$dir/pub.err" &
      pub=$!
      for _ in $(seq 1 600); do
        grep -qE 'rate [0-9]+/s total [1-9]' "$dir/pub.err" 2>/dev/null && break
        sleep 0.1
      done
      sleep "$WARMUP"
      p0=$(ticks $pub); s0=$(ticks $sub)
      sleep "$WINDOW"
      p1=$(ticks $pub); s1=$(ticks $sub)
      kill -TERM $pub; wait $pub || true; wait $sub || true
      pub_cores=$(awk -v a="$p0" -v b="$p1" -v hz="$HZ" -v w="$WINDOW" 'BEGIN {printf "%.3f", (b - a) / hz / w}')
      sub_cores=$(awk -v a="$s0" -v b="$s1" -v hz="$HZ" -v w="$WINDOW" 'BEGIN {printf "%.3f", (b - a) / hz / w}')
      pubfig=$(summary "$dir/pub.out" 'import json,sys; d=json.load(sys.stdin); s=d["elapsedSeconds"] or 1
print("%11.0f %9.2f %11d" % (d["batches"] / s, d["published"] / max(1, d["batches"]), d["published"]))')
      subfig=$(summary "$dir/sub.out" 'import json,sys; d=json.load(sys.stdin); l=d["latency_us"]
print("%9.0f %9.0f gaps=%s unrecoverable=%s" % (l["p50"], l["p99"], d.get("gapsDetected"), d.get("unrecoverable")))')
      printf '%-8s %-6s %-5s %9s %9s %s %s\n' "$name" "$rate" "$round" "$pub_cores" "$sub_cores" "$pubfig" "$subfig"
    done
  done
done
