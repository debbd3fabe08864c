#!/bin/bash
# JeroMQ 0.6.0's I/O thread spinning on epoll_wait (docs/jeromq-tail.md, "The I/O thread's spin"): the publisher and
# one subscriber at RATE over 10 instruments, run with the stock JeroMQ and with its zmq.Signaler patched so that
# send() counts the signal before it writes the wake-up byte (the order of two statements swapped), interleaved.
# Per run, over seconds 7-12 after launch: both processes' cores (/proc), the publisher's busiest JeroMQ I/O
# thread's epoll_wait calls per second (perf stat), and the subscriber's latency from its JSON summary.
#
#   perf/experiments/jeromq-signaler-spin.sh [ROUNDS] [RATE] [-- PUBLISH ARGS]
#   e.g. perf/experiments/jeromq-signaler-spin.sh 3 100000
#   Steady state: W (subscriber warm-up, s, default 3), DUR (publisher's run, s, default 14) and S0 (when the 5 s
#   measurement starts, s after launch, default 7), e.g. W=25 DUR=45 S0=30 ... 3 100000
#
# Needs Linux `perf` (linux-perf) for the epoll_wait counts (without it they print as "-"). The patched class is
# compiled into /tmp from JeroMQ's sources jar (fetched with Maven when missing) for this measurement only: the
# product ships the stock JeroMQ 0.6.0. Output in bench-results/signaler-<time>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
HERE=$(pwd)
ROUNDS=${1:-3}
RATE=${2:-100000}
shift $(( $# >= 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
OUT="$HERE/bench-results/signaler-$(date +%H%M%S)"
mkdir -p "$OUT"
M2=${M2_REPO:-$HOME/.m2/repository}
JEROMQ=$M2/org/zeromq/jeromq/0.6.0
PATCH=/tmp/jeromq-signaler-patch
if [ ! -f "$PATCH/classes/zmq/Signaler.class" ]; then
  [ -f "$JEROMQ/jeromq-0.6.0-sources.jar" ] || mvn -B -q dependency:get -Dartifact=org.zeromq:jeromq:0.6.0:jar:sources
  rm -rf "$PATCH" && mkdir -p "$PATCH/src" "$PATCH/classes"
  (cd "$PATCH/src" && unzip -q "$JEROMQ/jeromq-0.6.0-sources.jar" zmq/Signaler.java)
  python3 - "$PATCH/src/zmq/Signaler.java" <<'PY'
import re, sys
path = sys.argv[1]
src = open(path).read()
# In send(): the wake-up byte is written, then wcursor incremented. Increment first.
body = re.search(r"void send\(\)\s*\{(.*?\n)    \}", src, re.S)
inc = "        wcursor.incrementAndGet();\n"
first = "        int nbytes = 0;\n"
assert body and inc in body.group(1) and first in body.group(1), "Signaler.send() is not the one this script knows"
patched = body.group(1).replace(inc, "").replace(first, first + inc, 1)
open(path, "w").write(src[:body.start(1)] + patched + src[body.end(1):])
PY
  javac -nowarn -cp "$JEROMQ/jeromq-0.6.0.jar" -d "$PATCH/classes" "$PATCH/src/zmq/Signaler.java"
fi
scripts/feed --version > /dev/null
DIST="$HERE/feed-cli/target/dist/lib/*"
have_perf=1; command -v perf > /dev/null || have_perf=0
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); rate $RATE" | tee "$OUT/summary.txt"
busiest_io() { for t in /proc/"$1"/task/*; do echo "$(basename "$t") $(cat "$t/comm") $(awk '{print $14+$15}' "$t/stat")"; done \
  | grep iothread | sort -k3 -n | tail -1 | cut -d' ' -f1; }
for r in $(seq 1 "$ROUNDS"); do
  for v in stock patched; do
    cp="$DIST"; [ "$v" = patched ] && cp="$PATCH/classes:$DIST"
    port=$(( (20000 + RANDOM % 10000) * 2 ))
    FEED_CLASSPATH="$cp" scripts/feed subscribe --connect "tcp://127.0.0.1:$port" \
      --recovery-connect "tcp://127.0.0.1:$((port + 1))" --exit-on-end --duration 120s --warmup "${W:-3}s" \
      > "$OUT/$v-$r.sub.out" 2> "$OUT/$v-$r.sub.err" &
    sp=$!
    FEED_CLASSPATH="$cp" scripts/feed publish --bind "tcp://127.0.0.1:$port" --recovery-bind "tcp://127.0.0.1:$((port + 1))" \
      --await-subscribers 1 --await-timeout 60s --duration "${DUR:-14}s" --warmup 3s --rate "$RATE" "$@" \
      > "$OUT/$v-$r.pub.out" 2> "$OUT/$v-$r.pub.err" &
    pp=$!
    sleep "${S0:-7}"
    io=$(busiest_io "$pp")
    p0=$(awk '{print $14+$15}' /proc/$pp/stat); s0=$(awk '{print $14+$15}' /proc/$sp/stat)
    if [ "$have_perf" = 1 ] && [ -n "$io" ]; then
      epolls=$(perf stat -x, -e syscalls:sys_enter_epoll_wait -t "$io" -- sleep 5 2>&1 | grep epoll_wait | cut -d, -f1)
      epolls=$(( ${epolls:-0} / 5 ))
    else
      sleep 5; epolls="-"
    fi
    p1=$(awk '{print $14+$15}' /proc/$pp/stat); s1=$(awk '{print $14+$15}' /proc/$sp/stat)
    wait $pp || true
    wait $sp || true
    tick=$(getconf CLK_TCK)
    lat=$(tail -1 "$OUT/$v-$r.sub.out" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); l=d["latency_us"]; print("p50 %.0f us p99 %.2f ms p99.9 %.2f ms received %d lost %d" % (l["p50"], l["p99"]/1e3, l["p999"]/1e3, d["received"], d["lostUpdates"]))' 2>/dev/null || echo "no summary")
    printf 'round %s %-7s publisher %.2f cores, subscriber %.2f cores, publisher I/O thread epoll_wait %s/s; %s\n' \
      "$r" "$v" "$(echo "($p1 - $p0) / $tick / 5" | bc -l)" "$(echo "($s1 - $s0) / $tick / 5" | bc -l)" "$epolls" "$lat" \
      | tee -a "$OUT/summary.txt"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
