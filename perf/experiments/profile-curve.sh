#!/usr/bin/env bash
set -euo pipefail
# JFR of the feed flat out over CURVE (publisher and one subscriber): where the CPU goes.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
K=/tmp/curve-keys; rm -rf $K; mkdir -p $K
"$ROOT/scripts/feed" keygen --out $K publisher > /dev/null
"$ROOT/scripts/feed" keygen --out $K desk > /dev/null
chmod 600 $K/*_secret
"$ROOT/perf/experiments/profile-pair.sh" curve "--rate max --backpressure block --curve-secret $K/publisher.key_secret --curve-allow-any" "--curve-server-key $K/publisher.key --curve-cert $K/desk.key_secret"
