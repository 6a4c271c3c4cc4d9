#!/usr/bin/env bash
# /hello throughput and latency: Parallax (fat jar, one HTTP verticle per core) against a Node.js `cluster`
# server (one worker process per core) and a raw Vert.x HttpServer (the ceiling: same handler, no router),
# measured alternately in one run with the same wrk load.
#
#   bench/hello.sh [rounds] [seconds per run]      (defaults: 3 rounds of 10 s, after a 5 s warm-up each)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"

ROUNDS=${1:-3}
DURATION=${2:-10}
WRK_ARGS=(-t1 -c64 -d"${DURATION}s")

ensure_wrk
ensure_jar
command -v node >/dev/null || { echo "node is required for the baseline" >&2; exit 1; }
LOGS=$(mktemp -d)

P_PORT=$(free_port)
start_bg "$LOGS/parallax.log" "$ROOT/bin/parallax" --bridge-port 0 --http-host 127.0.0.1 --http-port "$P_PORT"
P_PID=$BENCH_PID
N_PORT=$(free_port)
PORT=$N_PORT start_bg "$LOGS/node.log" node "$ROOT/bench/node/cluster-hello.js"
N_PID=$BENCH_PID
R_PORT=$(free_port)
start_bg "$LOGS/raw.log" java -XX:+UseParallelGC -Xmx512m -cp "$ROOT/target/parallax.jar" \
  "$ROOT/bench/java/RawHello.java" "$R_PORT"
wait_http "http://127.0.0.1:$P_PORT/hello"
wait_http "http://127.0.0.1:$N_PORT/hello"
wait_http "http://127.0.0.1:$R_PORT/hello" 120

echo "warming up (5 s each)..." >&2
for port in "$P_PORT" "$N_PORT" "$R_PORT"; do wrk -t1 -c64 -d5s "http://127.0.0.1:$port/hello" >/dev/null; done

P_RPS=(); P_P99=(); N_RPS=(); N_P99=(); R_RPS=(); R_P99=()
for round in $(seq "$ROUNDS"); do
  read -r rps p99 _ _ < <(wrk_run "http://127.0.0.1:$P_PORT/hello" "${WRK_ARGS[@]}")
  P_RPS+=("$rps"); P_P99+=("$p99")
  read -r rps p99 _ _ < <(wrk_run "http://127.0.0.1:$N_PORT/hello" "${WRK_ARGS[@]}")
  N_RPS+=("$rps"); N_P99+=("$p99")
  read -r rps p99 _ _ < <(wrk_run "http://127.0.0.1:$R_PORT/hello" "${WRK_ARGS[@]}")
  R_RPS+=("$rps"); R_P99+=("$p99")
  echo "round $round: parallax ${P_RPS[-1]} req/s p99 ${P_P99[-1]} ms | node ${N_RPS[-1]} req/s p99" \
    "${N_P99[-1]} ms | raw vert.x ${R_RPS[-1]} req/s p99 ${R_P99[-1]} ms" >&2
done

RSS_KB=$(ps -o rss= -p "$P_PID" | tr -d ' ')
read -r prm prmin prmax < <(stats "${P_RPS[@]}")
read -r ppm ppmin ppmax < <(stats "${P_P99[@]}")
read -r nrm nrmin nrmax < <(stats "${N_RPS[@]}")
read -r npm npmin npmax < <(stats "${N_P99[@]}")
read -r rrm rrmin rrmax < <(stats "${R_RPS[@]}")
read -r rpm rpmin rpmax < <(stats "${R_P99[@]}")

echo
echo "/hello, wrk ${WRK_ARGS[*]}, $ROUNDS alternating rounds, medians (min-max); $(nproc) cores shared with wrk"
printf '%-28s %24s %26s\n' "server" "requests/s" "p99 latency (ms)"
printf '%-28s %10.0f (%6.0f-%6.0f) %10.3f (%6.3f-%6.3f)\n' "Parallax (Vert.x Web)" "$prm" "$prmin" "$prmax" "$ppm" "$ppmin" "$ppmax"
printf '%-28s %10.0f (%6.0f-%6.0f) %10.3f (%6.3f-%6.3f)\n' "Node cluster" "$nrm" "$nrmin" "$nrmax" "$npm" "$npmin" "$npmax"
printf '%-28s %10.0f (%6.0f-%6.0f) %10.3f (%6.3f-%6.3f)\n' "raw Vert.x HttpServer" "$rrm" "$rrmin" "$rrmax" "$rpm" "$rpmin" "$rpmax"
awk -v p="$prm" -v n="$nrm" -v r="$rrm" -v pp="$ppm" -v np="$npm" 'BEGIN {
  printf "ratio Parallax / Node: throughput %.2fx, p99 %.2fx; Parallax / raw Vert.x: throughput %.2fx\n",
    p / n, pp / np, p / r }'
echo "Parallax RSS after the run: $((RSS_KB / 1024)) MB"
