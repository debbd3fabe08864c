#!/usr/bin/env bash
# JFR on a publisher and one subscriber: profile-pair.sh NAME "PUBLISH ARGS" "SUBSCRIBE ARGS"
set -euo pipefail
NAME=$1; PUBARGS=$2; SUBARGS=${3:-}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd); S=$ROOT/scripts/feed
D=/tmp/prof-$NAME; rm -rf $D; mkdir -p $D; cd $D
P=$((20000 + RANDOM % 10000)); R=$((P + 1))
FEED_JAVA_OPTS="-XX:StartFlightRecording=filename=$D/sub.jfr,settings=profile" $S subscribe --connect tcp://127.0.0.1:$P --recovery-connect tcp://127.0.0.1:$R --exit-on-end --duration 120s --warmup 3s $SUBARGS > sub.out 2> sub.err &
sleep 2
FEED_JAVA_OPTS="-XX:StartFlightRecording=filename=$D/pub.jfr,settings=profile" $S publish --bind tcp://127.0.0.1:$P --recovery-bind tcp://127.0.0.1:$R --duration 13s --warmup 3s --await-subscribers 1 $PUBARGS > pub.out 2> pub.err
wait
echo "== $NAME publisher"; python3 "$ROOT/perf/experiments/jfr-top.py" pub.jfr 10
echo "== $NAME subscriber"; python3 "$ROOT/perf/experiments/jfr-top.py" sub.jfr 10
tail -1 pub.out | python3 -c "import json,sys; d=json.load(sys.stdin); print('published', d['published'], 'batches', d['batches'], 'updates/batch %.1f' % (d['published']/max(1,d['batches'])), 'rate', d.get('updatesPerSecond'))"
tail -1 sub.out | python3 -c "import json,sys; d=json.load(sys.stdin); print('received', d['received'], 'gaps', d['gapsDetected'], 'recovered', d.get('recovered'), 'unrecoverable', d.get('unrecoverable'), 'lat', d['latency_us'], 'measured', d['measured'])"
