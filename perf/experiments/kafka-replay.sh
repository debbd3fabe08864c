#!/usr/bin/env bash
# Replay from Kafka (issue 16's target: >= 1 M updates/s re-published) from an LZ4 topic and from an uncompressed one,
# with the journal itself as the reference, side by side against one local broker (scripts/kafka-dev): one journal
# written flat out (10 instruments, about 210 updates per entry), shipped by `kafka-sink` twice (LZ4, the default, and
# `--kafka-property compression.type=none`), then RUNS rounds each replaying all three re-published flat out
# (--publish --speed max, no subscriber: the read path and the send, `updatesPerSecond`), the order rotated every
# round. Load average before and after. With JFR=1 each replay from Kafka also records a JFR file (jfr-top.py reads it).
# Raw outputs: bench-results/kafka-replay-<time>/.
#
#   perf/experiments/kafka-replay.sh [RUNS] [UPDATES]     (defaults: 3, 3000000)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-3}
UPDATES=${2:-3000000}
OUT="$ROOT/bench-results/kafka-replay-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
FEED="$ROOT/scripts/feed"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json() { python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); print(eval(sys.argv[2], {}, {"d": d}))' "$@"; }

"$FEED" --version >/dev/null   # builds the distribution first, if needed
"$ROOT/scripts/kafka-dev" --port 0 --dir "$OUT/broker" > "$OUT/kafka-dev.out" 2> "$OUT/kafka-dev.err" &
KD=$!
trap 'kill -TERM $KD 2>/dev/null; wait $KD 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do [ -s "$OUT/kafka-dev.out" ] && break; sleep 1; done
BOOT=$(head -n 1 "$OUT/kafka-dev.out")
[ -n "$BOOT" ] || { echo "kafka-replay.sh: the broker did not start; see $OUT/kafka-dev.err" >&2; exit 1; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%MZ)" | tee "$OUT/load"

"$FEED" publish --rate max --count "$UPDATES" --instruments 10 --journal "$OUT/journal" --recovery-bind none \
  --bind "tcp://127.0.0.1:$(port)" > "$OUT/writer.out" 2> "$OUT/writer.err"
"$FEED" kafka-sink --journal "$OUT/journal" --bootstrap-servers "$BOOT" --topic lz4 --partitions 3 \
  --exit-at-end > "$OUT/sink-lz4.out" 2> "$OUT/sink-lz4.err"
"$FEED" kafka-sink --journal "$OUT/journal" --bootstrap-servers "$BOOT" --topic none --partitions 3 \
  --kafka-property compression.type=none --exit-at-end > "$OUT/sink-none.out" 2> "$OUT/sink-none.err"

replay() {   # replay SOURCE DIR
  local jfr=""
  if [ "$1" = journal ]; then
    "$FEED" replay --journal "$OUT/journal" --publish "tcp://127.0.0.1:$(port)" --speed max \
      > "$2/replay-journal.out" 2> "$2/replay-journal.err"
  else
    [ "${JFR:-0}" = 1 ] && jfr="-XX:StartFlightRecording=filename=$2/replay-$1.jfr,settings=profile"
    FEED_JAVA_OPTS="$jfr" "$FEED" replay --kafka --bootstrap-servers "$BOOT" --topic "$1" \
      --publish "tcp://127.0.0.1:$(port)" --speed max > "$2/replay-$1.out" 2> "$2/replay-$1.err"
  fi
}

orders=("lz4 none journal" "none journal lz4" "journal lz4 none")
for run in $(seq 1 "$RUNS"); do
  D="$OUT/run$run"; mkdir -p "$D"
  for source in ${orders[$(((run - 1) % 3))]}; do replay "$source" "$D"; done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%MZ)" | tee -a "$OUT/load"

{
  echo "Command: \`perf/experiments/kafka-replay.sh $RUNS $UPDATES\`. Machine: $(nproc) cores," \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB," \
    "$(java -version 2>&1 | head -n 1), one Kafka 4.4.0 broker (KRaft) on loopback, topics of 3 partitions;" \
    "$(head -n 1 "$OUT/load"), $(tail -n 1 "$OUT/load")."
  echo
  echo "| run | replay from Kafka, LZ4 updates/s | from Kafka, uncompressed | from the journal | LZ4 / uncompressed |"
  echo "|---|---|---|---|---|"
  for run in $(seq 1 "$RUNS"); do
    D="$OUT/run$run"
    l=$(json "$D/replay-lz4.out" 'd["updatesPerSecond"]'); n=$(json "$D/replay-none.out" 'd["updatesPerSecond"]')
    echo "| $run | $l | $n | $(json "$D/replay-journal.out" 'd["updatesPerSecond"]') |" \
      "$(python3 -c "print(round($l / $n, 2))") |"
  done
  python3 - "$OUT" "$RUNS" <<'PY'
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
def ups(run, source):
    with open(f"{out}/run{run}/replay-{source}.out") as f:
        return json.loads(f.read().strip().splitlines()[-1])["updatesPerSecond"]
m = {s: statistics.median(ups(r, s) for r in range(1, runs + 1)) for s in ("lz4", "none", "journal")}
print(f"| median | {m['lz4']:.0f} | {m['none']:.0f} | {m['journal']:.0f} | {m['lz4'] / m['none']:.2f} |")
PY
} | tee "$OUT/report.md"
echo "raw results: $OUT" >&2
