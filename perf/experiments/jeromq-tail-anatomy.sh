#!/usr/bin/env bash
# One pairing of the JeroMQ-tail matrix, taken apart: per-thread CPU and context switches of both processes over
# the measured window (thread-cpu.py), the JVMs' safepoint pauses (GC included) in that window, and the latency the
# subscriber saw. Needs the build of scripts/bench (perf/target and perf/target/native).
#
#   perf/experiments/jeromq-tail-anatomy.sh PUB SUB [RATE] [TOPICS] [BATCH] [SECONDS] [WARMUP]
#       PUB, SUB: j (raw JeroMQ, RawZmq) or c (libzmq C); defaults 100k 10 1 8 3
#   PUB_ARGS, SUB_ARGS, PUB_JVM, SUB_JVM: more arguments / JVM flags for one side
#   OUT: where the outputs go (default /tmp/jeromq-tail-anatomy)
#   SETSID=1: start each process in a session of its own, so that the kernel's autogroup scheduling gives each its
#   own share of the CPU (by default both share the share of the session that started this script)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PUB=${1:?PUB j or c}; SUB=${2:?SUB j or c}; RATE=${3:-100k}; TOPICS=${4:-10}; BATCH=${5:-1}
SECONDS_MEASURED=${6:-8}; WARMUP=${7:-3}
OUT=${OUT:-/tmp/jeromq-tail-anatomy}
mkdir -p "$OUT"
rm -f "$OUT"/*.log "$OUT"/*.out "$OUT"/*.err
CP="$(ls "$ROOT"/perf/target/perf-*.jar | head -n 1):$ROOT/perf/target/lib/*"
RUN=(); if [ "${SETSID:-0}" = 1 ]; then RUN=(setsid); fi
# The benchmark's heap flags (BenchEnvironment.DEFAULT_BENCH_FLAGS); PUB_JVM/SUB_JVM come after and override them.
JAVA=("${RUN[@]}" java @"$ROOT/config/jvm.options" -Xms1g -Xmx1g -Xmn600m -XX:+AlwaysPreTouch)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
EP="tcp://127.0.0.1:$PORT"
TOTAL=$((SECONDS_MEASURED + WARMUP))
# Topic names do not matter here (the subscriber takes all): T1, T2, ...
SYMBOLS=$(seq -s, -f 'T%g' 1 "$TOPICS")

if [ "$SUB" = j ]; then
  # shellcheck disable=SC2086
  "${JAVA[@]}" ${SUB_JVM:-} "-Xlog:safepoint:file=$OUT/sub-safepoint.log:uptime" -cp "$CP" \
    dev.feedhandler.perf.baseline.RawZmq --role sub --endpoint "$EP" --duration $((TOTAL + 30))s \
    --warmup ${WARMUP}s --hgrm "$OUT/sub.hgrm" ${SUB_ARGS:-} >"$OUT/sub.out" 2>"$OUT/sub.err" &
else
  # shellcheck disable=SC2086
  "${RUN[@]}" "$ROOT/perf/target/native/zmq_sub" --endpoint "$EP" --duration $((TOTAL + 30))s --warmup ${WARMUP}s \
    --hgrm "$OUT/sub.hgrm" ${SUB_ARGS:-} >"$OUT/sub.out" 2>"$OUT/sub.err" &
fi
SUB_PID=$!
if [ "$PUB" = j ]; then
  # shellcheck disable=SC2086
  "${JAVA[@]}" ${PUB_JVM:-} "-Xlog:safepoint:file=$OUT/pub-safepoint.log:uptime" -cp "$CP" \
    dev.feedhandler.perf.baseline.RawZmq --role pub --endpoint "$EP" --rate "$RATE" --duration ${TOTAL}s \
    --instruments "$TOPICS" --batch "$BATCH" --start-delay 1s ${PUB_ARGS:-} >"$OUT/pub.out" 2>"$OUT/pub.err" &
else
  # shellcheck disable=SC2086
  "${RUN[@]}" "$ROOT/perf/target/native/zmq_pub" --endpoint "$EP" --rate "$RATE" --duration ${TOTAL}s --topics "$SYMBOLS" \
    --update-bytes 56 --batch "$BATCH" --start-delay 1s ${PUB_ARGS:-} >"$OUT/pub.out" 2>"$OUT/pub.err" &
fi
PUB_PID=$!
# The publisher sends from about 1 s (JVM start) + 1 s (start delay) on: measure after its warm-up.
if [ "$PUB" = j ]; then sleep $((2 + WARMUP)); else sleep $((1 + WARMUP)); fi
python3 "$ROOT/perf/experiments/thread-cpu.py" $((SECONDS_MEASURED - 1)) "pub=$PUB_PID" "sub=$SUB_PID" \
  >"$OUT/threads.txt"
wait $PUB_PID || true
wait $SUB_PID || true
echo "== $PUB -> $SUB at $RATE over $TOPICS topics, batch $BATCH: ${PUB_ARGS:-} ${PUB_JVM:-} | ${SUB_ARGS:-} ${SUB_JVM:-}"
tail -n 1 "$OUT/pub.out"
tail -n 1 "$OUT/sub.out"
cat "$OUT/threads.txt"
for side in pub sub; do
  if [ -f "$OUT/$side-safepoint.log" ]; then
    # Safepoints after the warm-up: count, total and largest time the JVM stood still (ns in the log).
    awk -v from=$((2 + WARMUP)) '
      { up = $1; gsub(/[\[\]s]/, "", up) }
      up + 0 >= from && /Total:/ { n++; t = $NF; sub(/ns/, "", t); for (i = 1; i <= NF; i++) if ($i == "Total:") t = $(i + 1);
        total += t; if (t > max) max = t }
      END { printf "%s safepoints after warm-up: %d, total %.2f ms, largest %.2f ms\n", side, n, total / 1e6, max / 1e6 }
    ' side=$side "$OUT/$side-safepoint.log"
  fi
done
