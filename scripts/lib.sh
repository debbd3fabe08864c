# Shared by the launchers: build a module's distribution when it is missing or older than the sources.
# Usage: ensure_built STAMP MODULE  (run from anywhere; ROOT must be set)

feed_needs_build() {
  local stamp=$1
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/config" "$ROOT"/common "$ROOT"/feed-* "$ROOT"/journal* "$ROOT"/perf \
            \( -name target -prune \) -o \( -type f -newer "$stamp" -print \) 2>/dev/null | head -n 1)" ]
}

feed_build() {
  local stamp=$1 module=$2
  local cmd=(mvn -B -q -Dstyle.color=never -DskipTests -pl "$module" -am package)
  echo "$(basename "$0"): building: (cd $ROOT && ${cmd[*]})" >&2
  if ! (cd "$ROOT" && "${cmd[@]}") >&2; then
    echo "$(basename "$0"): the build failed; run it yourself to see why: cd $ROOT && ${cmd[*]}" >&2
    exit 1
  fi
  touch "$stamp"
}

ensure_built() {
  local stamp=$1 module=$2
  feed_needs_build "$stamp" || return 0
  if [ "${FEED_NO_BUILD:-0}" = 1 ]; then
    echo "$(basename "$0"): the build is missing or stale; build it: cd $ROOT && mvn -DskipTests -pl $module -am package" >&2
    exit 1
  fi
  command -v mvn >/dev/null || { echo "$(basename "$0"): Maven (mvn) is needed to build" >&2; exit 1; }
  mkdir -p "$(dirname "$stamp")"
  # One build at a time when several launchers start together.
  if command -v flock >/dev/null; then
    exec 9>"$(dirname "$stamp")/.lock"
    flock 9
    if feed_needs_build "$stamp"; then feed_build "$stamp" "$module"; fi
    flock -u 9
  else
    feed_build "$stamp" "$module"
  fi
}
