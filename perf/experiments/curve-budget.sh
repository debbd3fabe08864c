#!/usr/bin/env bash
# CURVE at 20k updates/s, 10 instruments: how the publisher's message budget (--batch-max-rate) sets what a CURVE
# subscriber must decrypt. JeroMQ 0.6.0's CURVE is pure Java (jnacl), with a cost per message as well as per byte.
# Usage: curve-budget.sh [BUDGET...]   (default: 20000 5000 1000; two alternating rounds)
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd); S=$ROOT/scripts/feed; D=/tmp/curve-budget; rm -rf $D; mkdir -p $D; cd $D
BUDGETS=("${@:-20000 5000 1000}"); [ $# -eq 0 ] && BUDGETS=(20000 5000 1000)
$S keygen --out keys publisher > /dev/null && $S keygen --out keys subscriber > /dev/null || exit 1
for round in 1 2; do for budget in "${BUDGETS[@]}"; do
  P=$((20000 + RANDOM % 10000)); R=$((P + 1))
  /usr/bin/time -f "%U %S %e" -o sub-$budget-$round.time $S subscribe --connect tcp://127.0.0.1:$P --recovery-connect tcp://127.0.0.1:$R \
    --curve-server-key keys/publisher.key --curve-cert keys/subscriber.key_secret \
    --exit-on-end --duration 120s --warmup 3s > sub-$budget-$round.out 2> sub.err &
  sleep 2
  /usr/bin/time -f "%U %S %e" -o pub-$budget-$round.time $S publish --bind tcp://127.0.0.1:$P --recovery-bind tcp://127.0.0.1:$R \
    --curve-secret keys/publisher.key_secret --curve-allow-any \
    --rate 20k --instruments 10 --duration 13s --warmup 3s --await-subscribers 1 --batch-max-rate $budget \
    > pub-$budget-$round.out 2> pub.err
  wait
  echo -n "budget $budget round $round: "
  python3 - "$D/pub-$budget-$round.out" "$D/sub-$budget-$round.out" "$D/pub-$budget-$round.time" "$D/sub-$budget-$round.time" <<'PY'
import json,sys
p=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); s=json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
def cpu(f):
    u,st,e=open(f).read().split()[-3:]; return float(u)+float(st)
l=s['latency_us']
print("updates/batch %.1f, batches/s %.0f, gaps %d, recovered %d, unrecoverable %d, p50 %.0f us, p99 %.0f us, max %.0f us, CPU s (whole process lives, JIT included) pub %.1f sub %.1f" % (p['published']/p['batches'], p['batches']/p['elapsedSeconds'], s['gapsDetected'], s.get('recovered',0), s.get('unrecoverable',0), l['p50'], l['p99'], l['max'], cpu(sys.argv[3]), cpu(sys.argv[4])))
PY
done; done
