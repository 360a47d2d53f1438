#!/usr/bin/env bash
# Runs one benchmark scenario: a BenchServer and a BenchClient in two JVMs on 127.0.0.1.
#   bench/run.sh echo   [--same-thread] [--jfr] [--idle-ms N] [client options]   scenario 1: router vs raw Tyrus
#   bench/run.sh conns  [--conns 10000] [--hold 15]                scenario 2: idle connections
#   bench/run.sh fanout [--conns 10000] [--rounds 30]              scenario 3: broadcast fan-out
#   bench/run.sh fairness [--workers N] [--limits none]            scenario 4: a flood from one address, calm clients
#                                                                  on another (server with the default limits)
#   bench/run.sh backplane [--conns 10000] [--rounds 30]           scenario 5: broadcast through Redis, stream vs pub/sub
#   bench/run.sh resume [--nodes 2] [--conns 10000] [--rounds 30]  scenario 6: broadcast to plain and to resumable
#                                                                  sessions, on one node or two (Redis cluster)
#   bench/run.sh report                                            the set behind the README's Performance tables:
#                                                                  the four echo cases in both IO strategies and both
#                                                                  execution modes, fan-out, idle heap, p99 at half of
#                                                                  the maximum (about 15 min); prints the table rows
#   bench/run.sh jmh    [JMH options, e.g. -prof gc]               micro-benchmarks of the hot path
#   bench/run.sh jfr-top FILE.jfr                                  summarise a JFR recording
# Options of every server: --same-thread (Grizzly SameThreadIOStrategy), --mode BLOCKING|NON_BLOCKING|VIRTUAL_THREAD
# (wsrv.execution: where handlers without a declared mode run), --idle-ms N, --limits none|default, --workers N.
# Environment: SERVER_OPTS / CLIENT_OPTS (extra JVM flags), SKIP_BUILD=1, BENCH_OUT (default bench/target/results).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
scenario="${1:-}"; shift || true
[ -n "$scenario" ] || { sed -n '2,19p' "$0"; exit 2; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # the bench builds against the modules of this work tree, installed into the local repository
  modules=.,api,runtime,embedded,test-support,cluster-redis,metrics-micrometer
  (cd "$root" && mvn -B -q -o install -DskipTests -pl "$modules") || \
    (cd "$root" && mvn -B -q install -DskipTests -pl "$modules")
  mvn -B -q -o -f "$here/pom.xml" package -DskipTests || mvn -B -q -f "$here/pom.xml" package -DskipTests
fi
cp="$here/target/classes:$here/target/lib/*"
out="${BENCH_OUT:-$here/target/results}"; mkdir -p "$out"
stamp="$(date +%Y%m%d-%H%M%S)"

case "$scenario" in
  report)
    # each scenario in its own pair of JVMs, one after the other; the rows come from their RESULT_JSON lines
    dir="$out/report-$stamp"; mkdir -p "$dir"
    short=(--cases 50x1:64,50x8:64,1000x1:64,50x8:4096 --legs ws,raw,ws,raw --warmup 2 --window 5 --prewarm 4)
    for io in worker same-thread; do
      for mode in BLOCKING NON_BLOCKING; do
        flag=(); [ "$io" = same-thread ] && flag=(--same-thread)
        SKIP_BUILD=1 BENCH_OUT="$dir" "$0" echo "${flag[@]}" --mode "$mode" "${short[@]}" "$@" >"$dir/echo-$io-$mode.out"
      done
    done
    SKIP_BUILD=1 BENCH_OUT="$dir" "$0" fanout --conns 10000 --rounds 30 --warmup-rounds 5 >"$dir/fanout.out"
    SKIP_BUILD=1 BENCH_OUT="$dir" "$0" conns --conns 10000 --hold 10 >"$dir/conns.out"
    # p99 at half of the maximum: 50 connections sending one request at a time each, open loop, at half of the best
    # wsrv req/s of the same traffic closed loop (50 x 1, 64 B), on the IO strategy and mode that reached it
    read -r max max_io max_mode <<<"$(sed -n 's/^RESULT_JSON //p' "$dir"/echo-*.out | python3 -c '
import json, sys
best = max(((c["wsReqPerSec"], r["io"], r["mode"]) for r in map(json.loads, sys.stdin) for c in r["ratios"]
            if c["shape"] == "50x1" and c["payload"] == 64), key=lambda t: t[0])
print(int(best[0]), best[1], best[2])')"
    # latency from each request's turn; both JVMs log their safepoints and collections, the client every request
    # over 5 ms, and slow-vs-pauses.py lines the two up; then the same traffic to raw Tyrus: what the machine, the
    # client and the container cost without wsrv. Both JVMs get their whole heap committed and touched at start
    # (-Xms = -Xmx, AlwaysPreTouch): otherwise the
    # allocating threads, the server's selector threads among them, take the kernel's page faults as the young
    # generation grows into fresh memory during the window (about one per request at low rates)
    half_flags=(--mode "$max_mode"); [ "$max_io" = same-thread ] && half_flags+=(--same-thread)
    fixed_heap="-Xms1g -Xmx1g -XX:+AlwaysPreTouch"; deco=utctime,uptime,level,tags
    for path in ws raw; do
      logs="$dir/half-load-$path"; mkdir -p "$logs"
      SKIP_BUILD=1 BENCH_OUT="$dir" \
        SERVER_OPTS="$fixed_heap ${SERVER_OPTS:-} -Xlog:gc*,safepoint:file=$logs/server-gc.log:$deco" \
        CLIENT_OPTS="$fixed_heap ${CLIENT_OPTS:-} -Xlog:gc*,safepoint:file=$logs/client-gc.log:$deco" \
        "$0" fairness "${half_flags[@]}" --limits none --calm-conns 50 --calm-path "/$path" \
        --calm-rate $((max / 2 / 50)) --flood-conns 0 --prewarm-floods 1 --warmup 10 --window 6 \
        --slow-ms 5 --slow-log "$logs/slow.txt" >"$dir/half-load-$path.out"
      python3 "$here/slow-vs-pauses.py" "$logs" 0 10 >"$logs/slow-vs-pauses.txt" || true
    done
    echo "outputs in $dir" >&2
    java -cp "$cp" dev.wsrv.bench.BenchReport "$dir"/echo-*.out "$dir/fanout.out" "$dir/conns.out" \
      "$dir/half-load-ws.out" "$dir/half-load-raw.out"
    exec head -4 "$dir/half-load-ws/slow-vs-pauses.txt" ;;
  jmh) exec java -XX:+ExitOnOutOfMemoryError -cp "$cp" org.openjdk.jmh.Main "$@" ;;
  jfr-top) exec java -XX:+ExitOnOutOfMemoryError -cp "$cp" dev.wsrv.bench.JfrTop "$@" ;;
  echo|conns|fanout|fairness|backplane|resume) ;;
  *) echo "unknown scenario: $scenario" >&2; exit 2 ;;
esac

# 10,000 connections need one descriptor each in the server and in the client
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

server_args=(); client_args=(); jfr=""; io=worker; mode=""; raw_idle=30000; nodes=1
# the fairness scenario is about the limits: the server runs with the documented defaults unless told otherwise
limits=none; [ "$scenario" = fairness ] && limits=default
[ "$scenario" = fairness ] && client_args+=(--threads 2)
while [ $# -gt 0 ]; do
  case "$1" in
    --same-thread) server_args+=(--same-thread); io=same-thread ;;
    --mode) mode="$2"; client_args+=(--mode "$2"); shift ;;
    --raw-idle-ms) raw_idle="$2"; shift ;;
    --idle-ms) server_args+=(--idle-ms "$2"); shift ;;
    --limits) limits="$2"; shift ;;
    --workers) server_args+=(--workers "$2"); shift ;;
    --nodes) nodes="$2"; shift ;;
    --jfr) jfr="$out/server-$scenario-$io-$stamp.jfr" ;;
    *) client_args+=("$1") ;;
  esac
  shift
done
server_jvm=(-Xms512m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Dbench.raw.idleMs="$raw_idle" ${SERVER_OPTS:-})
[ -n "$mode" ] && server_jvm+=("-Dwsrv.execution=$mode")
[ -n "$jfr" ] && server_jvm+=("-XX:StartFlightRecording=filename=$jfr,settings=profile,dumponexit=true")

redis=""
if [ "$scenario" = backplane ] || [ "$nodes" = 2 ]; then
  # a redis-server of its own, on loopback, without persistence (Debian: apt-get install redis-server)
  redis_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$out/redis-$stamp.log" 2>&1 &
  redis=$!
  for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  server_args+=(--redis "redis://127.0.0.1:$redis_port"); client_args+=(--redis-port "$redis_port")
fi

server2=""
if [ "$nodes" = 2 ]; then
  # a second node of the same cluster, which gets the first node's broadcasts through the stream
  log2="$out/server2-$scenario-$stamp.log"
  java "${server_jvm[@]}" -cp "$cp" dev.wsrv.bench.BenchServer --limits "$limits" "${server_args[@]}" >"$log2" 2>&1 &
  server2=$!
fi

log="$out/server-$scenario-$stamp.log"
java "${server_jvm[@]}" -cp "$cp" dev.wsrv.bench.BenchServer --limits "$limits" "${server_args[@]}" >"$log" 2>&1 &
server=$!
trap 'kill $server $server2 $redis 2>/dev/null; wait $server $server2 $redis 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q '^READY' "$log" && break
  kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
ready="$(grep '^READY' "$log")" || { echo "server did not start" >&2; cat "$log" >&2; exit 1; }
port="$(sed -n 's/.*port=\([0-9]*\).*/\1/p' <<<"$ready")"
pid="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$ready")"
echo "server: $ready (log $log)" >&2
if [ -n "$server2" ]; then
  for _ in $(seq 1 300); do grep -q '^READY' "$log2" && break; sleep 0.1; done
  ready2="$(grep '^READY' "$log2")" || { echo "second server did not start" >&2; cat "$log2" >&2; exit 1; }
  client_args+=(--port2 "$(sed -n 's/.*port=\([0-9]*\).*/\1/p' <<<"$ready2")")
  echo "server 2: $ready2 (log $log2)" >&2
fi

# the client's own deadline: no run can hang
timeout 3600 java -Xms256m -Xmx1g -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError ${CLIENT_OPTS:-} -cp "$cp" dev.wsrv.bench.BenchClient "$scenario" \
  --port "$port" --server-pid "$pid" --io "$io" "${client_args[@]}" | tee "$out/$scenario-$io-$stamp.txt"
[ -n "$jfr" ] && { kill -TERM $server; wait $server 2>/dev/null || true; echo "JFR recording: $jfr" >&2; }
exit 0
