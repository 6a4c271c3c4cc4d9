#!/usr/bin/env bash
# Start-up and memory, with the README's run command (bin/parallax): time from launch to the first 200 on
# /hello, RSS after start, and RSS after a minute of full load (wrk on /hello while Mandelbrot renders keep
# every worker busy). Node cluster's start-up and RSS (all its processes) alongside, for reference.
#
#   bench/footprint.sh [load seconds]      (default 60)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
LOAD=${1:-60}
ensure_wrk
ensure_jar
LOGS=$(mktemp -d)

first_200_ms() { # first_200_ms URL START_NS
  until curl -fs -o /dev/null "$1"; do sleep 0.005; done
  echo $(( ($(date +%s%N) - $2) / 1000000 ))
}
rss_mb() { # rss_mb PID... -> total RSS of the processes and their children, MB
  local total=0
  for pid in "$@"; do
    for p in $pid $(pgrep -P "$pid" || true); do
      total=$((total + $(ps -o rss= -p "$p" 2>/dev/null | tr -d ' ' || echo 0)))
    done
  done
  echo $((total / 1024))
}

# The first run after a build makes bin/parallax's class-data archive; that is not start-up, so do it first.
"$ROOT/bin/parallax" --version >/dev/null
# Start-up is a short figure on a shared machine: five alternating launches each, medians; the last ones stay
# up for the memory figures.
P_STARTS=(); N_STARTS=()
for round in 1 2 3 4 5; do
  P_PORT=$(free_port)
  START=$(date +%s%N)
  start_bg "$LOGS/parallax.log" "$ROOT/bin/parallax" --bridge-port 0 --http-host 127.0.0.1 --http-port "$P_PORT"
  P_PID=$BENCH_PID
  P_STARTS+=("$(first_200_ms "http://127.0.0.1:$P_PORT/hello" "$START")")
  N_PORT=$(free_port)
  START=$(date +%s%N)
  PORT=$N_PORT start_bg "$LOGS/node.log" node "$ROOT/bench/node/cluster-hello.js"
  N_PID=$BENCH_PID
  N_STARTS+=("$(first_200_ms "http://127.0.0.1:$N_PORT/hello" "$START")")
  if [ "$round" -lt 5 ]; then
    stop_pid "$P_PID"
    stop_pid "$N_PID"
  fi
done
read -r P_START P_MIN P_MAX < <(stats "${P_STARTS[@]}")
read -r N_START N_MIN N_MAX < <(stats "${N_STARTS[@]}")
sleep 2 # let start-up settle before reading memory
P_RSS_START=$(rss_mb "$P_PID")
N_RSS_START=$(rss_mb "$N_PID")

echo "loading Parallax for $LOAD s..." >&2
END=$((SECONDS + LOAD))
( while [ $SECONDS -lt $END ]; do
    curl -s -o /dev/null -X POST "http://127.0.0.1:$P_PORT/api/tasks/mandelbrot" -H 'content-type: application/json' \
      -d '{"width": 1024, "height": 1024, "maxIterations": 500}' || true
  done ) &
RENDERS=$!
BENCH_PIDS+=("$RENDERS")
wrk -t1 -c64 -d"${LOAD}s" "http://127.0.0.1:$P_PORT/hello" >/dev/null
wait "$RENDERS" 2>/dev/null || true
P_RSS_LOAD=$(rss_mb "$P_PID")

echo
echo "Start-up and memory ($(nproc) cores)"
printf '%-44s %12s %12s\n' "measurement" "Parallax" "Node cluster"
printf '%-44s %12s %12s\n' "launch to first 200 on /hello (ms), median" "$P_START" "$N_START"
printf '%-44s %12s %12s\n' "  (min-max of 5 launches)" "$P_MIN-$P_MAX" "$N_MIN-$N_MAX"
printf '%-44s %12s %12s\n' "RSS after start (MB)" "$P_RSS_START" "$N_RSS_START"
printf '%-44s %12s %12s\n' "RSS after $LOAD s of full load (MB)" "$P_RSS_LOAD" "-"
