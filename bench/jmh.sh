#!/usr/bin/env bash
# JMH microbenchmarks of the compute kernels (src/jmh/java), through the Maven profile "jmh": kept out of the
# test run. Arguments go to JMH, for example a benchmark regex and options:
#
#   bench/jmh.sh                         (every kernel: 1 fork, 3 warm-up and 5 measured iterations of 2 s)
#   bench/jmh.sh sieve -p primesBelow=1000000000 -prof gc
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ARGS=${*:-"-f 1 -wi 3 -w 2s -i 5 -r 2s"}
cd "$ROOT" && exec mvn -q -B -P jmh test-compile exec:exec -Djmh.args="$ARGS"
