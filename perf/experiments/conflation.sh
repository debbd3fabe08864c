#!/usr/bin/env bash
# The conflation targets of issue 13 (docs/conflation.md), each publisher and subscriber a `scripts/feed` process on
# this host, 50 instruments, one run of each scenario after the other, in this order, per pass:
#   slow-conflate-quotes  a listener that spends 50 µs per update (--listener-work 50us) against 200k quotes/s
#                  (--trade-ratio 0), with --conflate: age of the delivered prices, merged updates, loss, heap after
#                  each GC (-Xlog:gc), and the listener's last quote of each instrument against the publisher's
#                  (journal replayed; the subscriber prints what it delivers with --print);
#   slow-conflate-quotes-shm  the same over the shared-memory log (publish --shm, subscribe --shm) instead of tcp:
#                  no JeroMQ I/O thread on either side (docs/shared-memory.md);
#   slow-conflate  the same with the default 10% trades (20k trades/s: as much as the listener can take alone);
#   slow-conflate-bound  the same with --conflate-max-trades 100: trades past the bound dropped and reported;
#   slow-plain     the same listener without --conflate: what happens then;
#   fast-plain,    a listener that keeps up (no work) at 200k/s, without and with --conflate, side by side: what
#   fast-conflate  conflation costs a listener that is not behind (latency from the publisher's send);
#   stream-200k,   the publisher's conflated stream (--conflated-bind, --conflate-interval 100ms) at 200k/s and 1M/s,
#   stream-1m      one subscriber on it: messages per instrument per second.
# Every publisher runs with its default idle strategy (park: 200 µs after a duty cycle that did work), or with
# PUB_IDLE=STRATEGY. (Until 6 Dec 2026 the script gave --idle sleep, which sleeps only after a duty cycle with nothing
# to do: at 200k/s every cycle finds an update due, so that publisher's thread never slept.)
# Raw outputs go to bench-results/conflation-<time>/; the report (markdown) is printed and written there.
#
#   perf/experiments/conflation.sh [PASSES] [SLOW_SECONDS] [FAST_SECONDS]     (defaults: 1, 60, 20)
#   SCENARIOS="slow-conflate-quotes slow-conflate-quotes-shm" perf/experiments/conflation.sh ...   (only these)
#   PUB_ARGS="..." adds flags to every publisher (e.g. PUB_ARGS="--io-thread-policy other").
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PASSES=${1:-1}
SLOW=${2:-60}
FAST=${3:-20}
WARMUP=5
OUT="$ROOT/bench-results/conflation-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
FEED="$ROOT/scripts/feed"
IDLE="--idle ${PUB_IDLE:-park}"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$FEED" --version >/dev/null   # builds the distribution first, if needed

# run NAME PUB_SECONDS "PUBLISHER ARGS" "SUBSCRIBER ARGS" [stream|shm]: one publisher, one subscriber (on the feed, or
# with "stream" on the conflated stream), both ending with the publisher's session; heap log of the subscriber.
run() {
  local name=$1 seconds=$2 pub_args=$3 sub_args=$4 target=${5:-feed}
  local d="$OUT/$name"
  mkdir -p "$d"
  local feed="tcp://127.0.0.1:$(port)" recovery="tcp://127.0.0.1:$(port)" stream="tcp://127.0.0.1:$(port)"
  local connect=$feed sub_recovery=(--recovery-connect "$recovery")
  local source=(--connect "$connect") shm=() await=1
  if [ "$target" = stream ]; then source=(--connect "$stream"); sub_recovery=(--no-recovery); fi
  # Over shared memory the subscriber reads the publisher's log (it waits for the log to appear), the publisher
  # does not wait for socket subscribers.
  if [ "$target" = shm ]; then shm=(--shm "conflation-$$-${name//\//-}"); source=("${shm[@]}"); await=0; fi
  # shellcheck disable=SC2086
  FEED_JAVA_OPTS="-Xlog:gc:file=$d/sub-gc.log:uptime" "$FEED" subscribe "${source[@]}" "${sub_recovery[@]}" \
    --exit-on-end --duration "$((seconds + WARMUP + 60))s" --warmup "${WARMUP}s" $sub_args \
    > "$d/sub.out" 2> "$d/sub.err" &
  local sub=$!
  # shellcheck disable=SC2086
  "$FEED" publish --bind "$feed" --recovery-bind "$recovery" --conflated-bind "$stream" --conflate-interval 100ms \
    "${shm[@]}" --instruments 50 --await-subscribers "$await" --await-timeout 60s --duration "$((seconds + WARMUP))s" \
    --warmup "${WARMUP}s" $pub_args ${PUB_ARGS:-} > "$d/pub.out" 2> "$d/pub.err"
  wait $sub || echo "conflation.sh: $name: the subscriber exited with $? (see $d/sub.err)" >&2
}

# wanted NAME: whether SCENARIOS (all when unset) names this scenario.
wanted() { [ -z "${SCENARIOS:-}" ] || [[ " $SCENARIOS " == *" $1 "* ]]; }

for pass in $(seq 1 "$PASSES"); do
  P="pass$pass"
  for s in slow-conflate-quotes slow-conflate-quotes-shm slow-conflate slow-conflate-bound; do
    wanted "$s" || continue
    ratio=""; bound=""; target=feed
    [ $s = slow-conflate-quotes ] && ratio="--trade-ratio 0"
    [ $s = slow-conflate-quotes-shm ] && ratio="--trade-ratio 0" && target=shm
    [ $s = slow-conflate-bound ] && bound="--conflate-max-trades 100"
    run "$P/$s" "$SLOW" "--rate 200k $ratio $IDLE --journal $OUT/$P/$s/journal" \
      "--conflate $bound --listener-work 50us --print" "$target"
    # The listener's last quote of each instrument (or a snapshot's) against the publisher's last (the journal
    # replayed as text): topic, sequence number, bid and ask.
    D="$OUT/$P/$s"
    "$FEED" replay --journal "$D/journal" --format text 2>/dev/null | \
      awk '$3 == "Q" { last[$2] = $2 " " $4 " " $5 " " $6 } END { for (t in last) print last[t] }' | \
      sort > "$D/publisher-last.txt"
    awk '$2 == "Q" { last[$1] = $1 " " $3 " " $4 " " $5 }
      $2 == "SNAPSHOT" && $4 == "quote" { last[$1] = $1 " " $5 " " $6 " " $7 }
      END { for (t in last) print last[t] }' "$D/sub.out" | sort > "$D/listener-last.txt"
    rm -rf "$D/journal"
    tail -n 1 "$D/sub.out" > "$D/sub.json"
    gzip -f "$D/sub.out"
  done
  ! wanted slow-plain || run "$P/slow-plain" "$SLOW" "--rate 200k $IDLE" "--listener-work 50us"
  ! wanted fast-plain || run "$P/fast-plain" "$FAST" "--rate 200k $IDLE" ""
  ! wanted fast-conflate || run "$P/fast-conflate" "$FAST" "--rate 200k $IDLE" "--conflate"
  ! wanted stream-200k || run "$P/stream-200k" "$FAST" "--rate 200k $IDLE" "--print" stream
  ! wanted stream-1m || run "$P/stream-1m" "$FAST" "--rate 1M $IDLE" "--print" stream
done

python3 "$ROOT/perf/experiments/conflation-report.py" "$OUT" "$PASSES" "$SLOW" "$FAST" | tee "$OUT/report.md"
