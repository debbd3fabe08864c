#!/usr/bin/env bash
# CPU accounting of a fan-out run: N subscriber JVMs on every topic, the publisher at RATE; prints each process's
# CPU seconds per wall second and the machine's busy share, for the benchmark analysis.
# SUBX="..." adds options to every subscriber (e.g. SUBX="--listener-thread receiver"); a third argument to the publisher.
set -euo pipefail
N=${1:-8}; RATE=${2:-125000}; EXTRA_PUB=${3:-}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd); S=$ROOT/scripts/feed
D=/tmp/cpu-fanout; rm -rf $D; mkdir -p $D; cd $D
P=$((20000 + RANDOM % 10000)); R=$((P + 1))
for i in $(seq 1 $N); do
  $S subscribe ${SUBX:-} --connect tcp://127.0.0.1:$P --recovery-connect tcp://127.0.0.1:$R --exit-on-end --duration 120s --warmup 3s > sub$i.out 2> sub$i.err &
done
sleep 3
$S publish --bind tcp://127.0.0.1:$P --recovery-bind tcp://127.0.0.1:$R --rate $RATE --duration 13s --warmup 3s --await-subscribers $N $EXTRA_PUB > pub.out 2> pub.err &
sleep 6
read -r _ u n s i w x y z _ < /proc/stat; t0=$((u+n+s+i+w+x+y+z)); b0=$((u+n+s+x+y+z))
for pid in $(pgrep -f dev.feedhandler.cli.FeedCli); do echo "$pid $(awk '{print ($14+$15)/100}' /proc/$pid/stat) $(tr '\0' ' ' < /proc/$pid/cmdline | grep -q ' publish ' && echo pub || echo sub)"; done | sort > cpu0
sleep 5
read -r _ u n s i w x y z _ < /proc/stat; t1=$((u+n+s+i+w+x+y+z)); b1=$((u+n+s+x+y+z))
for pid in $(pgrep -f dev.feedhandler.cli.FeedCli); do echo "$pid $(awk '{print ($14+$15)/100}' /proc/$pid/stat) x"; done | sort > cpu1
wait
echo "machine busy: $(( 100 * (b1 - b0) / (t1 - t0) ))% of 2 cores over 5 s"
join cpu0 cpu1 | awk '{d=($4-$2)/5; tot+=d; if ($3=="pub") p+=d; else s+=d} END {printf "publisher %.2f cores, subscribers %.2f cores in all (%.2f each)\n", p, s, s/('$N')}'
tail -1 pub.out | python3 -c "import json,sys; d=json.load(sys.stdin); print('published', d['published'], 'batches', d['batches'], 'updates/batch %.1f' % (d['published']/max(1,d['batches'])))"
for i in $(seq 1 $N); do tail -1 sub$i.out | python3 -c "import json,sys; d=json.load(sys.stdin); print('sub', d['received'], 'gaps', d['gapsDetected'], 'recovered', d.get('recovered'), 'unrecoverable', d.get('unrecoverable'), 'p50', d['latency_us']['p50'], 'p99', d['latency_us']['p99'])"; done
