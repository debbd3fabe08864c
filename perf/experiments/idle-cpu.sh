#!/usr/bin/env bash
# CPU and wake-ups of an idle publisher and an idle subscriber, whole process and per thread, for one or more builds
# side by side (each a checkout with its distribution built), interleaved A B A B ...: per round and build, one
# `feed subscribe` and one `feed publish --rate 1 --instruments 10` (tcp, recovery service on, default flags
# otherwise, as a new user runs them). SETTLE seconds after the first update (the JIT has settled), it reads every
# thread's CPU time and voluntary context switches (a thread that blocks and is woken again: a wake-up) from /proc
# over WINDOW seconds. Prints one line per process: cores, then the threads that used at least 0.1% of a core or
# woke up at least 5 times a second, as name=cores/wake-ups per second.
#
#   perf/experiments/idle-cpu.sh ROUNDS NAME=ROOT [NAME=ROOT ...]
#   e.g. perf/experiments/idle-cpu.sh 3 before=/tmp/idle-before-src after=$PWD
#
# Environment: SETTLE (s, default 20), WINDOW (s, default 30), OUT (raw outputs, default /tmp/idle-cpu),
# STATS (a --stats-interval for both, such as 1s; default none, as by default), PUB_ARGS / SUB_ARGS (extra flags).
set -euo pipefail
ROUNDS=$1; shift
SETTLE=${SETTLE:-20}; WINDOW=${WINDOW:-30}; OUT=${OUT:-/tmp/idle-cpu}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$OUT"
stats=()
[ -n "${STATS:-}" ] && stats=(--stats-interval "$STATS")

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); settle ${SETTLE}s, window ${WINDOW}s"
for round in $(seq 1 "$ROUNDS"); do
  for build in "$@"; do
    name=${build%%=*}; root=${build#*=}
    dir="$OUT/$name-r$round"; rm -rf "$dir"; mkdir -p "$dir"
    port=$((20000 + 2 * (RANDOM % 10000)))
    # shellcheck disable=SC2086
    FEED_NO_BUILD=1 "$root/scripts/feed" subscribe --connect "tcp://127.0.0.1:$port" \
      --recovery-connect "tcp://127.0.0.1:$((port + 1))" --exit-on-end "${stats[@]}" ${SUB_ARGS:-} \
      > "$dir/sub.out" 2> "$dir/sub.err" &
    sub=$!
    # shellcheck disable=SC2086
    FEED_NO_BUILD=1 "$root/scripts/feed" publish --bind "tcp://127.0.0.1:$port" \
      --recovery-bind "tcp://127.0.0.1:$((port + 1))" --rate 1 --instruments 10 --await-subscribers 1 \
      "${stats[@]}" ${PUB_ARGS:-} > "$dir/pub.out" 2> "$dir/pub.err" &
    pub=$!
    sleep "$SETTLE"
    python3 "$HERE/idle-cpu.py" "$WINDOW" "$name/r$round" pub=$pub sub=$sub
    kill -TERM $pub; wait $pub || true
    kill -TERM $sub 2>/dev/null || true; wait $sub || true
  done
done
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
