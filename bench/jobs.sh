#!/usr/bin/env bash
# Parallel jobs on this machine, in one run: pi(10^9) on 1 worker vs all workers (speedup, efficiency),
# the same job as 1 chunk vs 64 chunks on one worker (splitting overhead), and a 2048x2048 Mandelbrot.
# Times are the jobs' own (from start to merged result), medians of alternating rounds.
#
#   bench/jobs.sh [rounds]      (default 5)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"

ROUNDS=${1:-5}
CORES=$(nproc)
ensure_jar
LOGS=$(mktemp -d)

ONE_PORT=$(free_port)
start_bg "$LOGS/one.log" "$ROOT/bin/parallax" --bridge-port 0 --http-host 127.0.0.1 --http-port "$ONE_PORT" --workers 1 --instances 1
ALL_PORT=$(free_port)
start_bg "$LOGS/all.log" "$ROOT/bin/parallax" --bridge-port 0 --http-host 127.0.0.1 --http-port "$ALL_PORT" --workers "$CORES"
wait_http "http://127.0.0.1:$ONE_PORT/ready"
wait_http "http://127.0.0.1:$ALL_PORT/ready"

job() { # job PORT TASK PARAMS CHUNKS -> millis
  python3 "$ROOT/bench/job_timer.py" "http://127.0.0.1:$1" "$2" "$3" "$4" | cut -d' ' -f1
}
PI9='{"from": 0, "to": 1000000000}'
MANDEL='{"width": 2048, "height": 2048, "maxIterations": 1000}'

echo "warming up..." >&2
job "$ONE_PORT" primes "$PI9" 64 >/dev/null
job "$ALL_PORT" primes "$PI9" 64 >/dev/null
job "$ALL_PORT" mandelbrot "$MANDEL" 64 >/dev/null

ONE=(); ALL=(); ONE_CHUNK=(); SIXTY_FOUR=(); MB=()
for round in $(seq "$ROUNDS"); do
  ONE+=("$(job "$ONE_PORT" primes "$PI9" 64)")
  ALL+=("$(job "$ALL_PORT" primes "$PI9" 64)")
  ONE_CHUNK+=("$(job "$ONE_PORT" primes "$PI9" 1)")
  SIXTY_FOUR+=("$(job "$ONE_PORT" primes "$PI9" 64)")
  MB+=("$(job "$ALL_PORT" mandelbrot "$MANDEL" 64)")
  echo "round $round: 1 worker ${ONE[-1]} ms, $CORES workers ${ALL[-1]} ms, 1 chunk ${ONE_CHUNK[-1]} ms," \
    "64 chunks ${SIXTY_FOUR[-1]} ms, mandelbrot ${MB[-1]} ms" >&2
done

read -r one one_min one_max < <(stats "${ONE[@]}")
read -r all all_min all_max < <(stats "${ALL[@]}")
read -r c1 c1_min c1_max < <(stats "${ONE_CHUNK[@]}")
read -r c64 c64_min c64_max < <(stats "${SIXTY_FOUR[@]}")
read -r mb mb_min mb_max < <(stats "${MB[@]}")

echo
echo "Parallel jobs, $ROUNDS alternating rounds, medians (min-max) in ms, $CORES cores"
printf '%-46s %8s %18s\n' "measurement" "median" "(min-max)"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(10^9), 64 chunks, 1 worker" "$one" "$one_min" "$one_max"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(10^9), 64 chunks, $CORES workers" "$all" "$all_min" "$all_max"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(10^9), 1 chunk, 1 worker" "$c1" "$c1_min" "$c1_max"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(10^9), 64 chunks, 1 worker (same run)" "$c64" "$c64_min" "$c64_max"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "mandelbrot 2048x2048, 64 tiles, $CORES workers" "$mb" "$mb_min" "$mb_max"
awk -v one="$one" -v all="$all" -v n="$CORES" -v c1="$c1" -v c64="$c64" 'BEGIN {
  printf "speedup %.2fx, parallel efficiency %.0f%%; splitting overhead (64 vs 1 chunk) %+.1f%%\n",
    one / all, 100 * one / all / n, 100 * (c64 - c1) / c1 }'
