#!/usr/bin/env bash
# Two builds of the Kafka sink side by side against one local broker (scripts/kafka-dev), runs interleaved
# (A B, then B A, ...), so a change to the sink is measured under the same load as what it replaces:
#   1. sink throughput on a journal of SMALL updates (the issue's benchmark: a cold JVM, warm-up included) and on one
#      of LARGE updates (warm-up amortised), both written flat out (10 instruments, about 210 updates per entry);
#      updates/s from the sink's first connection on (`updatesPerSecondShipping`), CPU seconds of the sink and of the
#      broker from /proc, and the bytes the topic takes on the broker's disk;
#   2. replay from the topic each sink wrote: re-published flat out (--publish --speed max, no subscriber), by the
#      same build that wrote it;
#   3. acknowledgement latency: the sink follows `publish --rate 100000` for S seconds (journal write to the
#      producer's acknowledgement, per entry).
# Each build is a directory of jars (feed-cli/target/dist/lib copied aside). Raw outputs: bench-results/kafka-ab-<time>/.
#
#   perf/experiments/kafka-sink-ab.sh A_LIB B_LIB [RUNS] [SECONDS] [SMALL] [LARGE]   (defaults: 5 20 3000000 15000000)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
A_LIB=$(cd "$1" && pwd)
B_LIB=$(cd "$2" && pwd)
RUNS=${3:-5}
SECONDS_100K=${4:-20}
SMALL=${5:-3000000}
LARGE=${6:-15000000}
OUT="$ROOT/bench-results/kafka-ab-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
json() { python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); print(eval(sys.argv[2], {}, {"d": d}))' "$@"; }
feed() { local lib=$1; shift; FEED_CLASSPATH="$lib/*" "$ROOT/scripts/feed" "$@"; }

"$ROOT/scripts/kafka-dev" --port 0 --dir "$OUT/broker" > "$OUT/kafka-dev.out" 2> "$OUT/kafka-dev.err" &
KD=$!
trap 'kill -TERM $KD 2>/dev/null; wait $KD 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do [ -s "$OUT/kafka-dev.out" ] && break; sleep 1; done
BOOT=$(head -n 1 "$OUT/kafka-dev.out")
[ -n "$BOOT" ] || { echo "kafka-sink-ab.sh: the broker did not start; see $OUT/kafka-dev.err" >&2; exit 1; }
BROKER_PID=$(pgrep -f "kafka.Kafka $OUT/broker/server.properties" | head -n 1)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load"

for size in "$SMALL" "$LARGE"; do
  feed "$B_LIB" publish --rate max --count "$size" --instruments 10 --journal "$OUT/journal-$size" \
    --recovery-bind none --bind "tcp://127.0.0.1:$(port)" > "$OUT/writer-$size.out" 2> "$OUT/writer-$size.err"
done

sink() {   # sink BUILD LIB JOURNAL TOPIC DIR
  local b0 pid
  b0=$(cpu "$BROKER_PID")
  # scripts/feed execs the JVM: $! is the sink's own process (its CPU, and the one a signal must reach).
  FEED_CLASSPATH="$2/*" "$ROOT/scripts/feed" kafka-sink --journal "$3" --bootstrap-servers "$BOOT" --topic "$4" \
    --partitions 3 --exit-at-end > "$5/sink-$4.out" 2> "$5/sink-$4.err" &
  pid=$!
  while kill -0 $pid 2>/dev/null; do c=$(cpu $pid); [ "$c" = 0 ] || echo "$c" > "$5/sink-$4.cpu"; sleep 0.2; done
  wait $pid
  echo "$(cpu "$BROKER_PID") - $b0" | bc > "$5/broker-$4.cpu"
  cat "$OUT"/broker/data/"$4"-*/*.log | wc -c > "$5/bytes-$4"
}

latency() {   # latency BUILD LIB DIR
  local pid
  feed "$B_LIB" publish --count 1 --journal "$3/live-$1" --recovery-bind none --bind "tcp://127.0.0.1:$(port)" \
    > /dev/null 2>&1
  FEED_CLASSPATH="$2/*" "$ROOT/scripts/feed" kafka-sink --journal "$3/live-$1" --bootstrap-servers "$BOOT" \
    --topic "live-$1-$(basename "$3")" --partitions 3 --stats-interval 1s > "$3/live-$1.out" 2> "$3/live-$1.err" &
  pid=$!
  for _ in $(seq 1 120); do grep -q "kafka ok" "$3/live-$1.err" 2>/dev/null && break; sleep 1; done
  feed "$B_LIB" publish --rate 100000 --duration "${SECONDS_100K}s" --instruments 10 --journal "$3/live-$1" \
    --recovery-bind none --bind "tcp://127.0.0.1:$(port)" > "$3/live-pub-$1.out" 2> "$3/live-pub-$1.err"
  for _ in $(seq 1 120); do tail -n 1 "$3/live-$1.err" | grep -q " lag 0 " && break; sleep 1; done
  kill -TERM $pid; wait $pid || true
}

for run in $(seq 1 "$RUNS"); do
  D="$OUT/run$run"; mkdir -p "$D"
  if [ $((run % 2)) = 1 ]; then order="A B"; else order="B A"; fi
  for build in $order; do
    lib=$A_LIB; [ "$build" = B ] && lib=$B_LIB
    sink "$build" "$lib" "$OUT/journal-$SMALL" "small-$build-$run" "$D"
    sink "$build" "$lib" "$OUT/journal-$LARGE" "large-$build-$run" "$D"
    feed "$lib" replay --kafka --bootstrap-servers "$BOOT" --topic "small-$build-$run" \
      --publish "tcp://127.0.0.1:$(port)" --speed max > "$D/replay-$build.out" 2> /dev/null
  done
  for build in $order; do
    lib=$A_LIB; [ "$build" = B ] && lib=$B_LIB
    latency "$build" "$lib" "$D"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load"

{
  echo "Command: \`perf/experiments/kafka-sink-ab.sh A B $RUNS $SECONDS_100K $SMALL $LARGE\`. Machine: $(nproc) cores," \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB," \
    "$(java -version 2>&1 | head -n 1), one Kafka 4.4.0 broker (KRaft) on loopback, topics of 3 partitions;" \
    "load average $(head -n 1 "$OUT/load" | cut -d: -f2) before, $(tail -n 1 "$OUT/load" | cut -d: -f2) after."
  echo
  echo "| run | build | sink ${SMALL} updates/s | sink CPU s | broker CPU s | topic MB (logs) | sink ${LARGE} updates/s | sink CPU s | broker CPU s | replay from Kafka updates/s | ack p50 ms | ack p99 ms | ack max ms | updates/entry at 100k/s |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  for run in $(seq 1 "$RUNS"); do
    D="$OUT/run$run"
    for build in A B; do
      s="small-$build-$run"; l="large-$build-$run"
      echo "| $run | $build | $(json "$D/sink-$s.out" 'd["updatesPerSecondShipping"]') | $(cat "$D/sink-$s.cpu") |" \
        "$(cat "$D/broker-$s.cpu") | $(echo "scale=1; $(cat "$D/bytes-$s") / 1000000" | bc) |" \
        "$(json "$D/sink-$l.out" 'd["updatesPerSecondShipping"]') | $(cat "$D/sink-$l.cpu") | $(cat "$D/broker-$l.cpu") |" \
        "$(json "$D/replay-$build.out" 'd["updatesPerSecond"]') |" \
        "$(json "$D/live-$build.out" 'round(d["ackLatency_us"]["p50"]/1000,2)') |" \
        "$(json "$D/live-$build.out" 'round(d["ackLatency_us"]["p99"]/1000,2)') |" \
        "$(json "$D/live-$build.out" 'round(d["ackLatency_us"]["max"]/1000,2)') |" \
        "$(json "$D/live-$build.out" 'round(d["updates"]/max(1,d["acknowledged"]),1)') |"
    done
  done
} | tee "$OUT/report.md"
echo "raw results: $OUT" >&2
