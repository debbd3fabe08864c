#!/usr/bin/env bash
# Catch-up (issue 12), measured with `scripts/feed` processes on this host:
#   1. stop: a publisher at RATE updates/s over 10 instruments with --journal for SECONDS; one `subscribe --verify`
#      is stopped with SIGSTOP for 5 s from the 3rd second on, then SIGCONT, and (unless SECONDS < 20) stopped again
#      for 5 s from the 14th second on. From the subscriber's summary: the catch-up rate (updates the streams
#      delivered / time some topic was catching up), the longest spell, and the time to live after SIGCONT (from
#      SIGCONT to the moment the last topic merged into the live feed), for the first stop (the process's first
#      catch-up, while the JIT compiles its code) and the second (the same code compiled); whether every update
#      arrived, in order, exactly once (--verify).
#   2. rate: 2M updates/s for 8 s over 50 instruments with --journal and one `subscribe --verify`: every update
#      delivered in order, or not.
# Runs are interleaved; the report takes medians. Raw outputs go to bench-results/catch-up-<time>/.
#
#   perf/experiments/catch-up.sh [RUNS] [RATE] [SECONDS]     (defaults: 3, 500000, 25)
#   PUB_ARGS="..." adds flags to both publishers (e.g. PUB_ARGS="--io-thread-policy other"), SUB_ARGS="..." to both
#   subscribers (e.g. SUB_ARGS="--no-warm-up": the warm-ups are on by default since 8 Dec 2026), FEED_HEAP="..."
#   the heap of all (FEED_HEAP= for the JVM's default; unset, the launcher's -Xms1g -Xmx1g -Xmn600m
#   -XX:+AlwaysPreTouch), FEED_JAVA_OPTS="..." JVM options to all; the report's header names all four.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-3}
RATE=${2:-500000}
SECONDS_STOP=${3:-25}
OUT="$ROOT/bench-results/catch-up-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
FEED="$ROOT/scripts/feed"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }

"$FEED" --version >/dev/null   # builds the distribution first, if needed

for run in $(seq 1 "$RUNS"); do
  D="$OUT/run$run"; mkdir -p "$D"
  # 1. Stopped for 5 s.
  FEED_PORT=$(port); REC_PORT=$(port)
  "$FEED" publish --bind "tcp://127.0.0.1:$FEED_PORT" --recovery-bind "tcp://127.0.0.1:$REC_PORT" \
    --journal "$D/journal" --rate "$RATE" --duration "${SECONDS_STOP}s" --await-subscribers 1 \
    --recovery-linger 10s ${PUB_ARGS:-} > "$D/stop-pub.out" 2> "$D/stop-pub.err" &
  PUB=$!
  "$FEED" subscribe --connect "tcp://127.0.0.1:$FEED_PORT" --recovery-connect "tcp://127.0.0.1:$REC_PORT" \
    --verify --exit-on-end --duration 300s --stats-interval 1s ${SUB_ARGS:-} > "$D/stop-sub.out" 2> "$D/stop-sub.err" &
  SUB=$!
  # The publisher's status line says when its source started (it waits for the subscriber).
  for _ in $(seq 1 600); do grep -q "total [1-9]" "$D/stop-sub.err" 2>/dev/null && break; sleep 0.1; done
  sleep 3
  kill -STOP $SUB; now_ms > "$D/stop.ms"
  sleep 5
  kill -CONT $SUB; now_ms > "$D/cont.ms"
  if [ "$SECONDS_STOP" -ge 20 ]; then
    sleep 6
    kill -STOP $SUB; now_ms > "$D/stop2.ms"
    sleep 5
    kill -CONT $SUB; now_ms > "$D/cont2.ms"
  fi
  wait $PUB || echo "run $run: publisher exited with $?" >&2
  wait $SUB || echo "run $run: subscriber exited with $?" >&2
  rm -rf "$D/journal"

  # 2. 2M/s for 8 s over 50 instruments.
  FEED_PORT=$(port); REC_PORT=$(port)
  "$FEED" publish --bind "tcp://127.0.0.1:$FEED_PORT" --recovery-bind "tcp://127.0.0.1:$REC_PORT" \
    --journal "$D/journal2m" --rate 2000000 --duration 8s --instruments 50 --await-subscribers 1 \
    --recovery-linger 10s ${PUB_ARGS:-} > "$D/rate-pub.out" 2> "$D/rate-pub.err" &
  PUB=$!
  "$FEED" subscribe --connect "tcp://127.0.0.1:$FEED_PORT" --recovery-connect "tcp://127.0.0.1:$REC_PORT" \
    --verify --exit-on-end --duration 300s --stats-interval 1s ${SUB_ARGS:-} > "$D/rate-sub.out" 2> "$D/rate-sub.err" &
  SUB=$!
  wait $PUB || echo "run $run: publisher exited with $?" >&2
  wait $SUB || echo "run $run: subscriber exited with $?" >&2
  rm -rf "$D/journal2m"
done

python3 - "$OUT" "$RUNS" "$RATE" "$SECONDS_STOP" <<'EOF'
import json, statistics, sys, os
out, runs, rate, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def last(path):
    return json.loads(open(path).read().strip().splitlines()[-1])
def med(xs):
    return statistics.median(xs) if xs else float('nan')
def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
rows, stop_rates, to_live, longest, rate_rows, spells = [], [], [], [], [], []
first_rates, first_live, second_rates, second_live = [], [], [], []
for run in range(1, runs + 1):
    d = os.path.join(out, f"run{run}")
    pub, sub = last(f"{d}/stop-pub.out"), last(f"{d}/stop-sub.out")
    cu = sub["recovery"]["catchUp"]
    cont = int(open(f"{d}/cont.ms").read())
    cont_last = int(open(f"{d}/cont2.ms").read()) if os.path.exists(f"{d}/cont2.ms") else cont
    live_ms = cu["lastEndedAtMs"] - cont_last if cu["lastEndedAtMs"] else float('nan')
    complete = sub["received"] == pub["published"] and sub["verify"]["violations"] == 0 and sub["unrecoverable"] == 0
    rows.append((run, pub["published"], sub["received"], sub["gapsDetected"], cu["topics"], cu["updates"],
                 cu["updatesPerSecond"], cu["longestSeconds"], live_ms, sub["verify"]["violations"],
                 sub["unrecoverable"], pub["recovery"]["catchUpPages"], pub["recovery"]["catchUpBusy"], complete))
    stop_rates.append(cu["updatesPerSecond"]); to_live.append(live_ms); longest.append(cu["longestSeconds"])
    first, lastspell = cu["firstSpell"], cu["lastSpell"]
    first_live_ms = first["endedAtMs"] - cont if first["endedAtMs"] else float('nan')
    first_rates.append(first["updatesPerSecond"]); first_live.append(first_live_ms)
    second = None
    if os.path.exists(f"{d}/cont2.ms") and cu["spells"] >= 2:
        cont2 = int(open(f"{d}/cont2.ms").read())
        second = (lastspell["updatesPerSecond"], lastspell["endedAtMs"] - cont2)
        second_rates.append(second[0]); second_live.append(second[1])
    spells.append((run, cu["spells"], first["updates"], first["updatesPerSecond"], first_live_ms,
                   lastspell["updates"] if second else "-", second[0] if second else "-", second[1] if second else "-"))
    rp, rs = last(f"{d}/rate-pub.out"), last(f"{d}/rate-sub.out")
    rcu = rs["recovery"]["catchUp"]
    rate_rows.append((run, rp["published"], rs["received"], rs["gapsDetected"], rcu["topics"], rcu["updates"],
                      rs["verify"]["violations"], rs["unrecoverable"],
                      rs["received"] == rp["published"] and rs["verify"]["violations"] == 0))
print(f"# catch-up.sh: {runs} runs, stop scenario at {rate}/s for {seconds} s, SIGSTOP 5 s (twice from 20 s on); "
      "rate scenario 2M/s 8 s 50 instruments")
print(f"# FEED_HEAP={os.environ.get('FEED_HEAP', '(launcher default)')!r} "
      f"FEED_JAVA_OPTS={os.environ.get('FEED_JAVA_OPTS', '')!r} PUB_ARGS={os.environ.get('PUB_ARGS', '')!r} "
      f"SUB_ARGS={os.environ.get('SUB_ARGS', '')!r}")
print("## stop")
table(["run", "published", "received", "gaps seen", "topics caught up", "updates streamed",
       "catch-up rate (updates/s)", "longest spell (s)", "SIGCONT to live (ms)", "violations", "unrecoverable",
       "pages served", "busy", "complete"], rows)
print(f"\nmedian catch-up rate {med(stop_rates):.0f} updates/s, median SIGCONT to live {med(to_live):.0f} ms, "
      f"median longest spell {med(longest):.3f} s (all spells; SIGCONT to live: the last stop's)")
print("## first stop (the process's first catch-up) and second stop (its code compiled)")
table(["run", "spells", "first: updates streamed", "first: rate (updates/s)", "first: SIGCONT to live (ms)",
       "second: updates streamed", "second: rate (updates/s)", "second: SIGCONT to live (ms)"], spells)
print(f"\nmedian first-stop rate {med(first_rates):.0f} updates/s, SIGCONT to live {med(first_live):.0f} ms; "
      f"median second-stop rate {med(second_rates):.0f} updates/s, SIGCONT to live {med(second_live):.0f} ms")
print("## 2M/s, 50 instruments, 8 s")
table(["run", "published", "received", "gaps seen", "topics caught up", "updates streamed", "violations",
       "unrecoverable", "complete"], rate_rows)
EOF
