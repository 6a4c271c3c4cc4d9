#!/usr/bin/env bash
# Counting primes on one thread: Parallax's segmented sieve against primesieve (Debian primesieve-bin,
# installed when missing), for pi(10^9) and pi(10^10), alternating, medians; counts must agree.
#
#   bench/primes.sh [rounds]      (default 3)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
ROUNDS=${1:-3}
ensure_jar
if ! command -v primesieve >/dev/null 2>&1; then
  echo "installing primesieve from Debian..." >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq primesieve-bin >/dev/null
fi

echo
echo "pi(x) on one thread, ms: medians (min-max) of $ROUNDS alternating runs"
printf '%-8s %24s %24s %10s\n' "x" "Parallax" "primesieve" "ratio"
for x in 1e9 1e10; do
  P=(); S=()
  for round in $(seq "$ROUNDS"); do
    OUT=$(java -XX:+UseParallelGC -cp "$ROOT/target/parallax.jar" "$ROOT/bench/java/PrimesBench.java" "$x")
    P+=("$(echo "$OUT" | awk '/^ms/ {print $2}')")
    OURS=$(echo "$OUT" | awk '/^count/ {print $2}')
    REF=$(primesieve "$x" -t1 -c1 --time)
    S+=("$(echo "$REF" | awk '/^Seconds/ {printf "%.0f", $2 * 1000}')")
    THEIRS=$(echo "$REF" | awk '/^Primes/ {print $2}')
    [ "$OURS" = "$THEIRS" ] || { echo "counts differ for $x: $OURS vs $THEIRS" >&2; exit 1; }
  done
  read -r p p_min p_max < <(stats "${P[@]}")
  read -r s s_min s_max < <(stats "${S[@]}")
  printf '%-8s %8.0f (%6.0f-%6.0f) %8.0f (%6.0f-%6.0f) %9.1fx\n' "$x" "$p" "$p_min" "$p_max" "$s" "$s_min" "$s_max" \
    "$(awk -v p="$p" -v s="$s" 'BEGIN { print p / s }')"
done
