#!/usr/bin/env bash
# Parallel jobs on this machine, in one run: pi(10^10) as 256 chunks on 1 worker vs all workers (speedup,
# efficiency), the same job as 1 chunk vs 256 chunks on one worker (splitting overhead), the same two
# comparisons for pi(10^9) in 64 chunks, a 2048x2048 Mandelbrot, and pi(10^11) once on every worker. Times are the jobs' own (from start to merged result),
# medians of alternating rounds. Efficiency is taken from neighbouring runs, twice a round (1 worker, then
# all), and the median of those ratios reported: this VM's speed drifts by more than the effect measured. As
# the reference, each round also runs the same chunks on a plain pool of 1 and of all threads
# (bench/java/PrimesThreads.java): what this machine's cores give without Parallax.
#
#   bench/jobs.sh [rounds] [x]      (default 5 rounds, x = 1e10)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"

ROUNDS=${1:-5}
X=$(python3 -c "print(int(float('${2:-1e10}')))")
CHUNKS=256
CORES=$(nproc)
ensure_jar
LOGS=$(mktemp -d)

ONE_PORT=$(free_port)
start_bg "$LOGS/one.log" "$ROOT/bin/parallax" --bridge-port 0 --http-host 127.0.0.1 --http-port "$ONE_PORT" --workers 1 --instances 1
ONE_PID=$BENCH_PID
ALL_PORT=$(free_port)
start_bg "$LOGS/all.log" "$ROOT/bin/parallax" --bridge-port 0 --http-host 127.0.0.1 --http-port "$ALL_PORT" --workers "$CORES"
ALL_PID=$BENCH_PID
wait_http "http://127.0.0.1:$ONE_PORT/ready"
wait_http "http://127.0.0.1:$ALL_PORT/ready"
# Compute threads run at nice 10 and yield to anything else, the idle node's JIT and collector included: the
# node not being measured is paused (SIGSTOP) while the other runs, and both while the plain pool runs.
only() { # only ONE|ALL|NONE
  kill -STOP "$ONE_PID" "$ALL_PID"
  case $1 in
    ONE) kill -CONT "$ONE_PID" ;;
    ALL) kill -CONT "$ALL_PID" ;;
  esac
}
resume_both() { kill -CONT "$ONE_PID" "$ALL_PID" 2>/dev/null || true; }
trap 'resume_both; bench_cleanup' EXIT

job() { # job PORT TASK PARAMS CHUNKS -> millis
  if [ "$1" = "$ONE_PORT" ]; then only ONE; else only ALL; fi
  python3 "$ROOT/bench/job_timer.py" "http://127.0.0.1:$1" "$2" "$3" "$4" | cut -d' ' -f1
}
small_job() { # small_job PORT CHUNKS -> the median of three pi(10^9) jobs in a row: one job of 0.1-0.2 s is
  # at the mercy of whatever else this VM does at that moment
  local runs=()
  for i in 1 2 3; do runs+=("$(job "$1" primes "$SMALL_PI" "$2")"); done
  stats "${runs[@]}" | cut -d' ' -f1
}
small_on_one() { # -> the medians of three 64-chunk and three 1-chunk pi(10^9) jobs, alternating, on one worker
  # (whichever runs first after the node is resumed from its pause pays for waking it up)
  local many=() one=()
  for i in 1 2 3; do
    many+=("$(job "$ONE_PORT" primes "$SMALL_PI" "$SMALL_CHUNKS")")
    one+=("$(job "$ONE_PORT" primes "$SMALL_PI" 1)")
  done
  echo "$(stats "${many[@]}" | cut -d' ' -f1) $(stats "${one[@]}" | cut -d' ' -f1)"
}
HANDOFF=()
job_on_one() { # the same on the one-worker node, also noting the share of the job's time its worker was idle
  local out
  only ONE
  out=$(python3 "$ROOT/bench/job_timer.py" "http://127.0.0.1:$ONE_PORT" "$@")
  read -r millis work _ <<<"$out"
  HANDOFF+=("$(awk -v m="$millis" -v w="$work" 'BEGIN { print 100 * (m - w) / m }')")
  echo "$millis"
}
PI="{\"from\": 0, \"to\": $X}"
SMALL_PI='{"from": 0, "to": 1000000000}'
SMALL_CHUNKS=64
MANDEL='{"width": 2048, "height": 2048, "maxIterations": 1000}'

echo "warming up..." >&2
for i in 1 2 3; do # until the JIT is through with the request and job paths too, not just the kernel
  job "$ONE_PORT" primes "$PI" "$CHUNKS" >/dev/null
  job "$ALL_PORT" primes "$PI" "$CHUNKS" >/dev/null
done
job "$ONE_PORT" primes "$PI" 1 >/dev/null
job "$ALL_PORT" mandelbrot "$MANDEL" 64 >/dev/null
for port in "$ONE_PORT" "$ALL_PORT"; do job "$port" primes "$SMALL_PI" "$SMALL_CHUNKS" >/dev/null; done
job "$ONE_PORT" primes "$SMALL_PI" 1 >/dev/null

ONE=(); ALL=(); ONE_CHUNK=(); MANY=(); MB=(); T1=(); TN=(); EFF=(); PLAIN_EFF=()
SMALL_ONE=(); SMALL_ALL=(); SMALL_ONE_CHUNK=(); SMALL_EFF=()
efficiency() { awk -v one="$1" -v all="$2" -v n="$CORES" 'BEGIN { printf "%.4f\n", one / all / n }'; }
for round in $(seq "$ROUNDS"); do
  job_on_one primes "$PI" "$CHUNKS" >"$LOGS/m"; ONE+=("$(cat "$LOGS/m")")
  ALL+=("$(job "$ALL_PORT" primes "$PI" "$CHUNKS")")
  ONE_CHUNK+=("$(job "$ONE_PORT" primes "$PI" 1)")
  job_on_one primes "$PI" "$CHUNKS" >"$LOGS/m"; MANY+=("$(cat "$LOGS/m")")
  ALL+=("$(job "$ALL_PORT" primes "$PI" "$CHUNKS")")
  EFF+=("$(efficiency "${ONE[-1]}" "${ALL[-2]}")" "$(efficiency "${MANY[-1]}" "${ALL[-1]}")")
  MB+=("$(job "$ALL_PORT" mandelbrot "$MANDEL" 64)")
  read -r small_many small_one < <(small_on_one)
  SMALL_ONE+=("$small_many"); SMALL_ONE_CHUNK+=("$small_one")
  SMALL_ALL+=("$(small_job "$ALL_PORT" "$SMALL_CHUNKS")")
  SMALL_EFF+=("$(efficiency "${SMALL_ONE[-1]}" "${SMALL_ALL[-1]}")")
  only NONE
  THREADS=$(java -XX:+UseSerialGC -cp "$ROOT/target/parallax.jar" "$ROOT/bench/java/PrimesThreads.java" "$X" "$CHUNKS" "$CORES")
  T1+=("$(echo "$THREADS" | awk '$2 == 1 {print $4}')")
  TN+=("$(echo "$THREADS" | awk -v n="$CORES" '$2 == n {print $4}')")
  PLAIN_EFF+=("$(efficiency "${T1[-1]}" "${TN[-1]}")")
  echo "round $round: 1 worker ${ONE[-1]} ms, $CORES workers ${ALL[-2]} ms, 1 chunk ${ONE_CHUNK[-1]} ms," \
    "$CHUNKS chunks (1 worker) ${MANY[-1]} ms, $CORES workers ${ALL[-1]} ms, mandelbrot ${MB[-1]} ms," \
    "plain threads ${T1[-1]} / ${TN[-1]} ms; pi(10^9): 1 worker ${SMALL_ONE[-1]} ms, $CORES workers" \
    "${SMALL_ALL[-1]} ms, 1 chunk ${SMALL_ONE_CHUNK[-1]} ms" >&2
done
# Multi-threaded through a job: pi(10^11) on every worker, default chunks, once; the count must be exact.
echo "pi(10^11) on $CORES workers..." >&2
only ALL
BIG=$(python3 "$ROOT/bench/job_timer.py" "http://127.0.0.1:$ALL_PORT" primes '{"from": 0, "to": 100000000000}' -)
resume_both
read -r big_ms big_work _ <<<"$BIG"
case "$BIG" in
  *'"count": 4118054813'*) ;;
  *) echo "pi(10^11) came out wrong: $BIG" >&2; exit 1 ;;
esac
# Splitting overhead compares 1 chunk with 256 chunks on the same worker: every 256-chunk run on it counts.
MANY+=("${ONE[@]}")

read -r one one_min one_max < <(stats "${ONE[@]}")
read -r all all_min all_max < <(stats "${ALL[@]}")
read -r c1 c1_min c1_max < <(stats "${ONE_CHUNK[@]}")
read -r many many_min many_max < <(stats "${MANY[@]}")
read -r mb mb_min mb_max < <(stats "${MB[@]}")
read -r idle idle_min idle_max < <(stats "${HANDOFF[@]}")
read -r eff eff_min eff_max < <(stats "${EFF[@]}")
read -r plain_eff plain_eff_min plain_eff_max < <(stats "${PLAIN_EFF[@]}")
read -r s1 s1_min s1_max < <(stats "${SMALL_ONE[@]}")
read -r sn sn_min sn_max < <(stats "${SMALL_ALL[@]}")
read -r sc1 sc1_min sc1_max < <(stats "${SMALL_ONE_CHUNK[@]}")
read -r seff seff_min seff_max < <(stats "${SMALL_EFF[@]}")
read -r t1 t1_min t1_max < <(stats "${T1[@]}")
read -r tn tn_min tn_max < <(stats "${TN[@]}")

echo
echo "Parallel jobs, $ROUNDS alternating rounds, medians (min-max) in ms, $CORES cores, pi(x) for x = $X"
printf '%-46s %8s %18s\n' "measurement" "median" "(min-max)"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(x), $CHUNKS chunks, 1 worker" "$one" "$one_min" "$one_max"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(x), $CHUNKS chunks, $CORES workers" "$all" "$all_min" "$all_max"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(x), 1 chunk, 1 worker" "$c1" "$c1_min" "$c1_max"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(x), $CHUNKS chunks, 1 worker (all runs)" "$many" "$many_min" "$many_max"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(10^9), $SMALL_CHUNKS chunks, 1 worker" "$s1" "$s1_min" "$s1_max"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(10^9), $SMALL_CHUNKS chunks, $CORES workers" "$sn" "$sn_min" "$sn_max"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(10^9), 1 chunk, 1 worker" "$sc1" "$sc1_min" "$sc1_max"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "mandelbrot 2048x2048, 64 tiles, $CORES workers" "$mb" "$mb_min" "$mb_max"
printf '%-46s %8.0f   (workers busy %.0f ms)\n' "pi(10^11) = 4118054813, default chunks, $CORES workers" "$big_ms" \
  "$big_work"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(x), $CHUNKS chunks, plain pool of 1 thread" "$t1" "$t1_min" "$t1_max"
printf '%-46s %8.0f (%7.0f-%7.0f)\n' "pi(x), $CHUNKS chunks, plain pool of $CORES threads" "$tn" "$tn_min" "$tn_max"
awk -v one="$one" -v all="$all" -v eff="$eff" -v lo="$eff_min" -v hi="$eff_max" -v k="$CHUNKS" -v c1="$c1" \
  -v many="$many" -v best="$(efficiency "$many_min" "$all_min")" 'BEGIN {
  printf "speedup %.2fx; parallel efficiency %.2f (median of neighbouring runs, %.2f-%.2f; %.2f from the fastest" \
    " runs)\nsplitting overhead (%d vs 1 chunk) %+.1f%%\n", one / all, eff, lo, hi, best, k, 100 * (many - c1) / c1 }'
awk -v eff="$plain_eff" -v lo="$plain_eff_min" -v hi="$plain_eff_max" -v best="$(efficiency "$t1_min" "$tn_min")" 'BEGIN {
  printf "plain threads: efficiency %.2f (%.2f-%.2f; %.2f from the fastest runs), what the cores themselves give\n",
    eff, lo, hi, best }'
awk -v one="$s1" -v all="$sn" -v eff="$seff" -v lo="$seff_min" -v hi="$seff_max" -v k="$SMALL_CHUNKS" -v c1="$sc1" 'BEGIN {
  printf "pi(10^9): speedup %.2fx; parallel efficiency %.2f (%.2f-%.2f); splitting overhead (%d vs 1 chunk) %+.1f%%\n",
    one / all, eff, lo, hi, k, 100 * (one - c1) / c1 }'
printf "time the worker spent between chunks, %d chunks on 1 worker: %.1f%% of the job (%.1f-%.1f%%)\\n" \
  "$CHUNKS" "$idle" "$idle_min" "$idle_max"
