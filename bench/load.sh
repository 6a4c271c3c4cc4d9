#!/usr/bin/env bash
# Under full CPU load: Parallax vs Node.js + Piscina (one event loop, one PBKDF2 thread per core), alternating.
# While `wrk -t1 -c4` keeps every worker hashing (PBKDF2, 100,000 iterations), a second wrk probes /hello:
# paced (8 connections, each waiting 10 ms between requests) and unpaced (8 connections flat out).
# Prints hash throughput and the probe's p50 / p99 / max.
#
#   bench/load.sh [rounds] [seconds]      (defaults: 3 rounds of 10 s)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
ROUNDS=${1:-3}
DURATION=${2:-10}
ensure_wrk
ensure_jar
if [ ! -d "$ROOT/bench/node/node_modules/piscina" ]; then
  (cd "$ROOT/bench/node" && npm ci --no-audit --no-fund --loglevel=error)
fi
LOGS=$(mktemp -d)

P_PORT=$(free_port)
start_bg "$LOGS/parallax.log" "$ROOT/bin/parallax" --bridge-port 0 --http-host 127.0.0.1 --http-port "$P_PORT"
N_PORT=$(free_port)
PORT=$N_PORT start_bg "$LOGS/piscina.log" node "$ROOT/bench/node/piscina-server.js"
wait_http "http://127.0.0.1:$P_PORT/hello"
wait_http "http://127.0.0.1:$N_PORT/hello"
P_HASH="http://127.0.0.1:$P_PORT/api/tasks/pbkdf2"
N_HASH="http://127.0.0.1:$N_PORT/hash"

# measure HASH_URL HELLO_URL PACED(yes|no) -> "hash_rps p50 p99 max"
measure() {
  local probe_args=(-t1 -c8 -d"${DURATION}s")
  [ "$3" = yes ] && probe_args+=(-s "$ROOT/bench/node/paced.lua")
  wrk -t1 -c4 -d"${DURATION}s" -s "$ROOT/bench/node/post-hash.lua" "$1" > "$LOGS/hash.out" &
  local hash_pid=$!
  read -r _ p99 p50 max < <(wrk_run "$2" "${probe_args[@]}")
  wait "$hash_pid"
  local rps; rps=$(awk '/^Requests\/sec/ {print $2}' "$LOGS/hash.out")
  echo "$rps $p50 $p99 $max"
}

echo "warming up..." >&2
measure "$P_HASH" "http://127.0.0.1:$P_PORT/hello" no >/dev/null
measure "$N_HASH" "http://127.0.0.1:$N_PORT/hello" no >/dev/null

declare -A R
for round in $(seq "$ROUNDS"); do
  for paced in yes no; do
    read -r h a b c < <(measure "$P_HASH" "http://127.0.0.1:$P_PORT/hello" $paced)
    R[p_$paced]+="$h $a $b $c;"
    read -r h a b c < <(measure "$N_HASH" "http://127.0.0.1:$N_PORT/hello" $paced)
    R[n_$paced]+="$h $a $b $c;"
  done
  echo "round $round done" >&2
done

column_median() { # column_median "rows;..." N
  echo "$1" | tr ';' '\n' | awk -v c="$2" 'NF { print $c }' | sort -g | awk '{ v[NR] = $1 } END {
    printf "%s", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo
echo "Full CPU load: PBKDF2 (100,000 iterations, wrk -t1 -c4) plus a /hello probe (wrk -t1 -c8), $ROUNDS rounds of $DURATION s, medians"
printf '%-26s %-8s %10s %10s %10s %10s\n' "server" "probe" "hash/s" "p50 ms" "p99 ms" "max ms"
for paced in yes no; do
  label=$([ $paced = yes ] && echo paced || echo unpaced)
  for who in p n; do
    name=$([ $who = p ] && echo "Parallax" || echo "Node + Piscina")
    rows=${R[${who}_$paced]}
    printf '%-26s %-8s %10.1f %10.3f %10.3f %10.3f\n' "$name" "$label" "$(column_median "$rows" 1)" \
      "$(column_median "$rows" 2)" "$(column_median "$rows" 3)" "$(column_median "$rows" 4)"
  done
done
awk -v p="$(column_median "${R[p_yes]}" 1)" -v n="$(column_median "${R[n_yes]}" 1)" \
    -v pp="$(column_median "${R[p_yes]}" 3)" -v np="$(column_median "${R[n_yes]}" 3)" 'BEGIN {
  printf "paced: hash throughput Parallax / Piscina %.2fx; /hello p99 Parallax / Piscina %.2fx\n", p / n, pp / np }'
