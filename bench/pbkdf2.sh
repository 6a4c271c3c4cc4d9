#!/usr/bin/env bash
# PBKDF2-HMAC-SHA256 per core: Parallax's kernel, the JDK's SecretKeyFactory and Node's crypto.pbkdf2Sync
# (OpenSSL), 100,000 iterations, one thread each, medians of alternating rounds after warm-up.
#
#   bench/pbkdf2.sh [rounds]      (default 5)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
ROUNDS=${1:-5}
ensure_jar
JAVA=(); NODE=(); JDK=()
for round in $(seq 3); do
  # As in the fat jar's manifest: lets the kernel restore SHA-256 states in place (see Sha256State).
  OUT=$(java -XX:+UseSerialGC --add-opens java.base/sun.security.provider=ALL-UNNAMED -cp "$ROOT/target/parallax.jar" \
    "$ROOT/bench/java/Pbkdf2Bench.java" "$ROUNDS")
  JAVA+=("$(echo "$OUT" | awk '/^parallax/ {print $2}')"); JDK+=("$(echo "$OUT" | awk '/^jdk/ {print $2}')")
  NODE+=("$(node "$ROOT/bench/node/pbkdf2.js" "$ROUNDS" | awk '/^node/ {print $2}')")
  echo "round $round: parallax ${JAVA[-1]} ms, jdk ${JDK[-1]} ms, node ${NODE[-1]} ms" >&2
done
read -r p p_min p_max < <(stats "${JAVA[@]}")
read -r j j_min j_max < <(stats "${JDK[@]}")
read -r n n_min n_max < <(stats "${NODE[@]}")
echo
echo "PBKDF2-HMAC-SHA256, 100,000 iterations, one thread, ms per hash: medians (min-max) of 3 alternating runs"
printf '%-34s %8.2f (%.2f-%.2f)\n' "Parallax (precomputed HMAC states)" "$p" "$p_min" "$p_max"
printf '%-34s %8.2f (%.2f-%.2f)\n' "JDK SecretKeyFactory" "$j" "$j_min" "$j_max"
printf '%-34s %8.2f (%.2f-%.2f)\n' "Node crypto.pbkdf2Sync (OpenSSL)" "$n" "$n_min" "$n_max"
awk -v p="$p" -v j="$j" -v n="$n" 'BEGIN { printf "Parallax speed vs Node: %.2fx; vs JDK: %.2fx\n", n / p, j / p }'
