#!/usr/bin/env bash
# The Kafka targets of issue 16 (docs/kafka.md), measured against one local broker (scripts/kafka-dev):
#   1. sink throughput: a journal written flat out, then `kafka-sink --exit-at-end` ships it (updates/s from its
#      first connection on);
#   2. acknowledgement latency at 100k updates/s: the sink follows a publisher at 100k/s for S seconds (journal write
#      to Kafka acknowledgement, per entry);
#   3. replay: the same journal printed (csv, to /dev/null) and re-published flat out (--publish, --speed max, no
#      subscriber), from the journal and from Kafka, side by side in the same run.
# Runs are interleaved; the report takes medians. Raw outputs go to bench-results/kafka-<time>/.
#
#   perf/experiments/kafka.sh [RUNS] [SECONDS] [UPDATES]     (defaults: 3, 20, 3000000)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-3}
SECONDS_100K=${2:-20}
UPDATES=${3:-3000000}
OUT="$ROOT/bench-results/kafka-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
FEED="$ROOT/scripts/feed"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# CPU seconds a process has used so far (user + system), from /proc.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
json() { python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); print(eval(sys.argv[2], {}, {"d": d}))' "$@"; }

"$FEED" --version >/dev/null   # builds the distribution first, if needed
"$ROOT/scripts/kafka-dev" --port 0 --dir "$OUT/broker" > "$OUT/kafka-dev.out" 2> "$OUT/kafka-dev.err" &
KD=$!
trap 'kill -TERM $KD 2>/dev/null; wait $KD 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do [ -s "$OUT/kafka-dev.out" ] && break; sleep 1; done
BOOT=$(head -n 1 "$OUT/kafka-dev.out")
BROKER_PID=$(pgrep -f "kafka.Kafka $OUT/broker/server.properties" | head -n 1)
[ -n "$BOOT" ] || { echo "kafka.sh: the broker did not start; see $OUT/kafka-dev.err" >&2; exit 1; }

for run in $(seq 1 "$RUNS"); do
  D="$OUT/run$run"; mkdir -p "$D"
  # 1. Sink throughput.
  "$FEED" publish --rate max --count "$UPDATES" --instruments 10 --journal "$D/journal" --recovery-bind none \
    --bind "tcp://127.0.0.1:$(port)" > "$D/writer.out" 2> "$D/writer.err"
  B0=$(cpu "$BROKER_PID")
  "$FEED" kafka-sink --journal "$D/journal" --bootstrap-servers "$BOOT" --topic "tp$run" --partitions 3 \
    --exit-at-end > "$D/sink.out" 2> "$D/sink.err" &
  SINK=$!
  while kill -0 $SINK 2>/dev/null; do S1=$(cpu $SINK); [ "$S1" = 0 ] || echo "$S1" > "$D/sink.cpu"; sleep 0.2; done
  wait $SINK
  echo "$(cpu "$BROKER_PID") - $B0" | bc > "$D/broker.cpu"
  # 3. Replay, journal and Kafka side by side.
  "$FEED" replay --journal "$D/journal" --format csv > /dev/null 2> "$D/print-journal.json"
  "$FEED" replay --kafka --bootstrap-servers "$BOOT" --topic "tp$run" --format csv > /dev/null 2> "$D/print-kafka.json"
  "$FEED" replay --journal "$D/journal" --publish "tcp://127.0.0.1:$(port)" --speed max > "$D/pub-journal.out" 2> /dev/null
  "$FEED" replay --kafka --bootstrap-servers "$BOOT" --topic "tp$run" --publish "tcp://127.0.0.1:$(port)" \
    --speed max > "$D/pub-kafka.out" 2> /dev/null
  # 2. Acknowledgement latency at 100k/s: the sink is connected before the publisher starts.
  "$FEED" publish --count 1 --journal "$D/live" --recovery-bind none --bind "tcp://127.0.0.1:$(port)" > /dev/null 2>&1
  "$FEED" kafka-sink --journal "$D/live" --bootstrap-servers "$BOOT" --topic "live$run" --partitions 3 \
    --stats-interval 1s > "$D/live-sink.out" 2> "$D/live-sink.err" &
  SINK=$!
  for _ in $(seq 1 120); do grep -q "kafka ok" "$D/live-sink.err" 2>/dev/null && break; sleep 1; done
  "$FEED" publish --rate 100000 --duration "${SECONDS_100K}s" --instruments 10 --journal "$D/live" \
    --recovery-bind none --bind "tcp://127.0.0.1:$(port)" > "$D/live-pub.out" 2> "$D/live-pub.err"
  for _ in $(seq 1 120); do tail -n 1 "$D/live-sink.err" | grep -q " lag 0 " && break; sleep 1; done
  kill -TERM $SINK; wait $SINK || true
done

{
  echo "## Kafka benchmark ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Command: \`perf/experiments/kafka.sh $RUNS $SECONDS_100K $UPDATES\`. Machine: $(nproc) cores," \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB," \
    "$(java -version 2>&1 | head -n 1), one Kafka 4.4.0 broker (KRaft) on loopback, topics of 3 partitions;" \
    "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| run | sink updates/s | sink CPU s | broker CPU s | sink entries | updates/entry | ack p50 ms | ack p99 ms | ack max ms | print journal/s | print kafka/s | publish journal/s | publish kafka/s |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  for run in $(seq 1 "$RUNS"); do
    D="$OUT/run$run"
    echo "| $run | $(json "$D/sink.out" 'd["updatesPerSecondShipping"]') | $(cat "$D/sink.cpu") | $(cat "$D/broker.cpu") |" \
      "$(json "$D/sink.out" 'd["acknowledged"]') |" \
      "$(json "$D/sink.out" 'round(d["updates"]/d["acknowledged"],1)') |" \
      "$(json "$D/live-sink.out" 'round(d["ackLatency_us"]["p50"]/1000,2)') |" \
      "$(json "$D/live-sink.out" 'round(d["ackLatency_us"]["p99"]/1000,2)') |" \
      "$(json "$D/live-sink.out" 'round(d["ackLatency_us"]["max"]/1000,2)') |" \
      "$(json "$D/print-journal.json" 'round(d["printed"]/d["elapsedSeconds"])') |" \
      "$(json "$D/print-kafka.json" 'round(d["printed"]/d["elapsedSeconds"])') |" \
      "$(json "$D/pub-journal.out" 'd["updatesPerSecond"]') | $(json "$D/pub-kafka.out" 'd["updatesPerSecond"]') |"
  done
} | tee "$OUT/report.md"
echo "raw results: $OUT" >&2
