#!/usr/bin/env bash
# The targets of issue 15 (docs/arbitration.md), two identical lines A and B (same --feed-id, --feed-start, seed):
#   1. arbitration cost at RATE updates/s: one subscriber reading line A alone and one arbitrating A and B, side by
#      side on the same two publishers in the same run (latency from the publisher's send, after a warm-up);
#   2. each line dropping 1% of its batches independently (--drop-batches random:1%, other seeds per line): the
#      arbitrating subscriber's recovery requests and gaps;
#   3. the same drops with packet repetition on both lines (--repeat-batches: each batch sent twice, each copy dropped
#      on its own): gaps and requests again, and the latency with twice the messages.
# "gap requests" are the recovery requests for missing updates: all requests less the snapshot requests (the audit
# of every topic's end when the session ends, one per run).
# Raw outputs go to bench-results/arbitration-<time>/; the script prints one line per run and scenario.
#
#   perf/experiments/arbitration.sh [RUNS] [SECONDS] [RATE]     (defaults: 3, 15, 100000)
#   SCENARIOS="drops repeat", PUB_ARGS="--sndhwm 65536" (added to both publishers) and SUB_ARGS="--arbitration-window
#   300ms" (added to the arbitrating subscriber) choose and vary.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-3}
SECS=${2:-15}
RATE=${3:-100000}
LEAD=10
OUT="$ROOT/bench-results/arbitration-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
FEED="$ROOT/scripts/feed"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json() { python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); print(eval(sys.argv[2], {}, {"d": d}))' "$@"; }

"$FEED" --version >/dev/null   # builds the distribution first, if needed
COUNT=$((RATE * SECS))

# line NAME DIR START DROPS FEED RECOVERY SUBS [FLAGS]: one publisher of the feed, awaiting SUBS subscribers.
line() {
  local name=$1 dir=$2 start=$3 drops=$4 feed=$5 recovery=$6 subs=$7 flags=${8:-}
  local TIMEFORMAT="%U %S"   # the publisher's CPU seconds, user and system, JVM start included
  { time "$FEED" publish --bind "$feed" --recovery-bind "$recovery" --feed-id BENCH --line "$name" \
    --feed-start "$start" --rate "$RATE" --count "$COUNT" --instruments 10 --seed 42 --await-subscribers "$subs" \
    --await-timeout 60s --recovery-linger 3s ${drops:+--drop-batches "$drops"} $flags ${PUB_ARGS:-} \
    > "$dir/$name.out" 2> "$dir/$name.err"; } 2> "$dir/$name.cpu"
}

for run in $(seq 1 "$RUNS"); do
  for scenario in ${SCENARIOS:-cost drops repeat}; do
    D="$OUT/run$run-$scenario"; mkdir -p "$D"
    FA="tcp://127.0.0.1:$(port)"; RA="tcp://127.0.0.1:$(port)"
    FB="tcp://127.0.0.1:$(port)"; RB="tcp://127.0.0.1:$(port)"
    SUBS=1
    if [ "$scenario" = cost ]; then
      SUBS=2
      "$FEED" subscribe --connect "$FA" --recovery-connect "$RA" --warmup 5s --exit-on-end --duration 120s \
        > "$D/one.out" 2> "$D/one.err" &
      ONE=$!
    fi
    "$FEED" subscribe --connect "$FA" --connect "$FB" --arbitrate --recovery-connect "$RA,$RB" --warmup 5s \
      --exit-on-end --duration 120s ${SUB_ARGS:-} > "$D/two.out" 2> "$D/two.err" &
    TWO=$!
    until grep -q "arbitrating 2" "$D/two.err" 2>/dev/null; do sleep 0.5; done
    START=$(date -u -d "+$LEAD sec" +%Y-%m-%dT%H:%M:%SZ)
    DA=""; DB=""
    FLAGS=""
    if [ "$scenario" != cost ]; then DA="random:1%@$((run * 2 + 1))"; DB="random:1%@$((run * 2 + 2))"; fi
    [ "$scenario" = repeat ] && FLAGS="--repeat-batches"
    line A "$D" "$START" "$DA" "$FA" "$RA" "$SUBS" "$FLAGS" &
    PA=$!
    line B "$D" "$START" "$DB" "$FB" "$RB" 1 "$FLAGS" &
    PB=$!
    wait "$PA" "$PB" "$TWO"
    [ "$scenario" = cost ] && wait "$ONE"
    SKIPPED="A skipped $(json "$D/A.out" 'd["skippedUpdates"]'), B skipped $(json "$D/B.out" 'd["skippedUpdates"]')"
    SKIPPED="$SKIPPED; publisher CPU s A $(awk '{print $1 + $2}' "$D/A.cpu") B $(awk '{print $1 + $2}' "$D/B.cpu")"
    if [ "$scenario" = cost ]; then
      echo "run $run cost: one line p50/p99 $(json "$D/one.out" 'd["latency_us"]["p50"]')/$(json "$D/one.out" \
        'd["latency_us"]["p99"]') us, two lines arbitrated $(json "$D/two.out" 'd["latency_us"]["p50"]')/$(json \
        "$D/two.out" 'd["latency_us"]["p99"]') us; received $(json "$D/one.out" 'd["received"]') and $(json \
        "$D/two.out" 'd["received"]') of $COUNT; $SKIPPED"
    else
      echo "run $run $scenario: dropped A $(json "$D/A.out" 'd["droppedByTestHook"]') B $(json "$D/B.out" \
        'd["droppedByTestHook"]') messages; repeated A $(json "$D/A.out" 'd.get("repeatedBatches", 0)') B $(json \
        "$D/B.out" 'd.get("repeatedBatches", 0)'); received $(json "$D/two.out" 'd["received"]') of $COUNT; gaps \
$(json "$D/two.out" 'd["gapsDetected"]'), gap requests $(json "$D/two.out" \
        'd["recovery"]["requests"] - d["recovery"]["snapshotRequests"]') (snapshot requests $(json "$D/two.out" \
        'd["recovery"]["snapshotRequests"]')), \
unrecoverable $(json "$D/two.out" 'd["unrecoverable"]'); won A/B $(json "$D/two.out" \
        '[l["won"] for l in d["lines"]]'); lag p50/p99 us A $(json "$D/two.out" \
        '[d["lines"][0]["lagP50_us"], d["lines"][0]["lagP99_us"]]') B $(json "$D/two.out" \
        '[d["lines"][1]["lagP50_us"], d["lines"][1]["lagP99_us"]]'); p50/p99 $(json "$D/two.out" \
        'd["latency_us"]["p50"]')/$(json "$D/two.out" 'd["latency_us"]["p99"]') us; $SKIPPED"
    fi
  done
done | tee "$OUT/report.txt"
echo "publisher flags: ${PUB_ARGS:-defaults}; arbitrating subscriber flags: ${SUB_ARGS:-defaults}" | tee -a "$OUT/report.txt"
