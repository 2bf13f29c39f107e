#!/usr/bin/env bash
# Kept as run for benchmarks/results/scg-profile-2026-12-06.txt (from the repository root after the builds it names).
# prof.sh VARIANT TAG [extra java opts...]: BenchServer + one SCG jar; smoke; 20s warm-up; 30s wrk under JFR; top frames.
set -euo pipefail
cd /work/wt/scgprofile
V=$1; TAG=$2; shift 2
OUT=/tmp/scgp/$V-$TAG; rm -rf $OUT; mkdir -p $OUT
CP="benchmarks/target/classes:benchmarks/target/lib/*"
java -Xms512m -Xmx512m -cp "$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=error dev.oidcgate.bench.BenchServer "$OUT" >"$OUT/server.log" 2>&1 &
SP=$!
GP=
trap 'kill $SP 2>/dev/null; [ -n "$GP" ] && kill $GP 2>/dev/null; true' EXIT
for _ in $(seq 60); do [ -s "$OUT/ports" ] && break; sleep 1; done
. "$OUT/ports"
SEEN="Authorization: Bearer $(cat "$OUT/seen-token")"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BENCH_PORT=$port BENCH_BACKEND_PORT=$backend BENCH_FRONT_PORT=$front SCG_VIRTUAL_THREADS=false \
  java -Xms512m -Xmx512m "$@" -jar benchmarks/scg-$V/target/scg-$V.jar >"$OUT/scg.log" 2>&1 &
GP=$!
for _ in $(seq 120); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 1; done
U=http://127.0.0.1:$port/api/hello
echo "smoke: $(curl -s -o /dev/null -w '%{http_code}' -H "$SEEN" $U) $(curl -s -o /dev/null -w '%{http_code}' $U) $(curl -s -o /dev/null -w '%{http_code}' -H "${SEEN}x" $U)"
echo "SCG pid $GP backend $backend front $front scg $port; flags: $(jcmd $GP VM.flags | tail -1 | tr ' ' '\n' | grep -E 'GC|ActiveProcessor|MaxHeap' | tr '\n' ' ')"
ticks() { local s=0; for p in "$@"; do s=$((s + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $s; }
wrkr() { # name url
  local t0 t1 line; t0=$(ticks $CPU); line=$(wrk -t2 -c32 -d${SECS}s -s benchmarks/bench.lua -H "$SEEN" "$2" | grep '^RESULT'); t1=$(ticks $CPU)
  read -r _ reqs s p50 p99 n2 er <<<"$line"
  awk -v n="$1" -v r="$reqs" -v s="$s" -v a="$p50" -v b="$p99" -v c=$((t1-t0)) -v hz=$(getconf CLK_TCK) -v n2=$n2 -v er=$er 'BEGIN{printf "%s\t%.0f req/s\tp50 %d us\tp99 %d us\t%.1f us CPU/req\tnon2xx %d err %d\n", n, r/s, a, b, c*1e6/hz/r, n2, er}'
}
SECS=${WARM:-20}; CPU="$SP $GP"; wrkr warmup-scg-$V $U
jitt() { local s=0; for p in "$@"; do s=$((s + $( { cat /proc/$p/task/*/stat 2>/dev/null || true; } | awk '/\(C[12] CompilerThre/ { sub(/.*\) /, ""); s += $12 + $13 } END { print s + 0 }'))); done; echo $s; }
if [ "${WARMJIT:-0}" = 1 ]; then
  for i in $(seq 20); do j0=$(jitt $SP $GP); c0=$(ticks $SP $GP); SECS=3; CPU="$SP $GP"; wrkr w $U >/dev/null; j=$(( $(jitt $SP $GP) - j0 )); a=$(( $(ticks $SP $GP) - c0 ))
    [ $((j * 20)) -lt $a ] && break; done; echo "JIT-quiet after $i more 3 s rounds (JIT $j of $a ticks)"
fi
CPU="$SP"; SECS=10; wrkr warmup-route http://127.0.0.1:$front/route/hello >/dev/null
thr() { for t in /proc/$1/task/*; do echo "$(cat $t/comm | tr ' ' _) $(awk '{print $14+$15}' $t/stat)"; done | awk '{sub(/[-#]?[0-9]+$/,"",$1); a[$1]+=$2} END {for (k in a) print k, a[k]}' | sort; }
thr $GP > $OUT/thr0; thr $SP > $OUT/sthr0
if [ "${NOPROF:-0}" != 1 ]; then
  jcmd $GP JFR.start name=b settings=profile filename=$OUT/rec.jfr >/dev/null
  CPU="$SP $GP"; SECS=30; wrkr scg-$V-$TAG-jfr $U
  ss -tan | awk -v b=":$backend" '$5 ~ b"$" {n[$1]++} END {for (k in n) print "  conns to backend:", k, n[k]}'
  thr $GP > $OUT/thr1; thr $SP > $OUT/sthr1
  echo "SCG thread CPU ticks during JFR round:"; join $OUT/thr0 $OUT/thr1 | awk '{d=$3-$2; if (d>0) print "   ", $1, d}' | sort -k2 -nr | head -12
  echo "BenchServer thread CPU ticks:"; join $OUT/sthr0 $OUT/sthr1 | awk '{d=$3-$2; if (d>0) print "   ", $1, d}' | sort -k2 -nr | head -6
  jcmd $GP JFR.stop name=b >/dev/null
fi
# short alternating measurement, no JFR
for i in 1 2; do
  CPU="$SP"; SECS=10; wrkr route http://127.0.0.1:$front/route/hello
  thr $GP > $OUT/thr2; CPU="$SP $GP"; SECS=10; wrkr scg-$V-$TAG $U; thr $GP > $OUT/thr3
  echo "  SCG threads (ticks) in that round:" $(join $OUT/thr2 $OUT/thr3 | awk '{d=$3-$2; if (d>0) print $1 "=" d}' | sort -t= -k2 -nr | head -6)
done
ss -tan | awk -v b=":$backend" '$5 ~ b"$" {n[$1]++} END {for (k in n) print "  conns to backend after:", k, n[k]}'
if [ "${NOPROF:-0}" != 1 ]; then
  jfr print --json --events jdk.ExecutionSample --stack-depth 96 $OUT/rec.jfr > $OUT/samples.json
  python3 benchmarks/flamegraph.py $OUT/samples.json $OUT/flame > $OUT/top.txt 2>&1 || true
fi
