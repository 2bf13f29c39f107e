#!/usr/bin/env bash
# The proxy before and after issue 26's change, side by side in one run: two BenchServers, one
# built at the commit before (OLD, a checkout whose benchmarks were packaged with
# `mvn package -pl benchmarks -am -DskipTests`), one at this checkout, each with its own backend;
# alternating wrk rounds on both servers' /ours and /jetty plus this checkout's prototypes
# (/requester, /async) and mitre. Prints wrk RESULT lines with the server CPU per request.
# Usage: benchmarks/results/proxy-options-2026-12-06.sh OLD_CHECKOUT [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
OLD=$1
ROUNDS=${2:-5}
start() { # start NAME CHECKOUT
  local dir; dir=$(mktemp -d)
  java -Xms512m -Xmx512m -cp "$2/benchmarks/target/classes:$2/benchmarks/target/lib/*" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=error dev.oidcgate.bench.BenchServer "$dir" >"$dir/log" 2>&1 &
  echo "$!" >"$dir/pid"
  for _ in $(seq 60); do [ -s "$dir/ports" ] && break; sleep 1; done
  echo "$dir"
}
OLD_DIR=$(start old "$OLD")
NEW_DIR=$(start new .)
trap 'kill $(cat "$OLD_DIR/pid") $(cat "$NEW_DIR/pid") 2>/dev/null || true' EXIT
OLD_PORT=$(sed -n 's/^front=//p' "$OLD_DIR/ports")
NEW_PORT=$(sed -n 's/^front=//p' "$NEW_DIR/ports")
CASES=(
  "before-ours|$OLD_PORT|/ours/hello|$OLD_DIR"
  "before-jetty|$OLD_PORT|/jetty/hello|$OLD_DIR"
  "after-ours|$NEW_PORT|/ours/hello|$NEW_DIR"
  "after-jetty|$NEW_PORT|/jetty/hello|$NEW_DIR"
  "after-mitre|$NEW_PORT|/mitre/hello|$NEW_DIR"
  "after-requester|$NEW_PORT|/requester/hello|$NEW_DIR"
  "after-async|$NEW_PORT|/async/hello|$NEW_DIR"
)
round() { # round SECONDS: one wrk round per case, RESULT line + CPU us/request
  for c in "${CASES[@]}"; do
    IFS='|' read -r name port path dir <<<"$c"
    pid=$(cat "$dir/pid")
    t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    line=$(wrk -t2 -c32 -d"$1s" -s benchmarks/bench.lua "http://127.0.0.1:$port$path" | grep '^RESULT')
    t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    read -r _ reqs secs p50 p99 non2xx errors <<<"$line"
    awk -v n="$name" -v r="$reqs" -v s="$secs" -v a="$p50" -v b="$p99" -v c=$((t1 - t0)) -v x="$non2xx" -v e="$errors" \
      -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%s\t%.0f\t%d\t%d\t%.1f\t%d\t%d\n", n, r / s, a, b, c * 1e6 / hz / r, x, e }'
  done
}
echo "# warm-up: 4 rounds of 5 s (not counted)"
for _ in 1 2 3 4; do round 5 >/dev/null; done
echo "# name	req/s	p50_us	p99_us	server_cpu_us_per_req	non2xx	socket_errors"
for r in $(seq "$ROUNDS"); do round 5; done
