#!/usr/bin/env bash
# Every benchmark, one after the other, sized to finish in about ten minutes on a 2-core machine; each prints
# its own table. For steadier figures run a script alone with more rounds (see BENCHMARKS.md).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
START=$SECONDS
run() {
  echo
  echo "=== bench/$1 ${*:2}"
  bash "$ROOT/bench/$1" "${@:2}" 2>/dev/null
}
run hello.sh 3 5
run load.sh 2 8
run pbkdf2.sh 3
run primes.sh 1
run jobs.sh 3
run footprint.sh 30
run cluster.sh 2
echo
echo "all benchmarks done in $((SECONDS - START)) s"
