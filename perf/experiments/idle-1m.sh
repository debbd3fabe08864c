#!/usr/bin/env bash
# 1M updates/s, 10 instruments: the publisher's idle strategy decides the batch sizes. Alternating runs.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd); S=$ROOT/scripts/feed; D=/tmp/idle-1m; rm -rf $D; mkdir -p $D; cd $D
for round in 1 2; do for idle in backoff sleep; do
  P=$((20000 + RANDOM % 10000)); R=$((P + 1))
  $S subscribe --connect tcp://127.0.0.1:$P --recovery-connect tcp://127.0.0.1:$R --exit-on-end --duration 120s --warmup 3s > sub-$idle-$round.out 2> sub.err &
  sleep 2
  $S publish --bind tcp://127.0.0.1:$P --recovery-bind tcp://127.0.0.1:$R --rate 1M --duration 13s --warmup 3s --await-subscribers 1 --idle $idle > pub-$idle-$round.out 2> pub.err
  wait
  echo -n "idle $idle round $round: "
  python3 - "$D/pub-$idle-$round.out" "$D/sub-$idle-$round.out" <<'PY'
import json,sys
p=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); s=json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
l=s['latency_us']; m=s['measured']
print("updates/batch %.1f, batches/s %.0f, gaps %d, recovered %d, unrecoverable %d, p50 %.0f us, p99 %.0f us, max %.0f us, GCs %d, sub bytes/update %s" % (p['published']/p['batches'], p['batches']/p['elapsedSeconds'], s['gapsDetected'], s.get('recovered',0), s.get('unrecoverable',0), l['p50'], l['p99'], l['max'], m['gcCount'], {k: round(v,1) for k,v in m['bytesPerUpdate'].items()}))
PY
done; done
