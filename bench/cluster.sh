#!/usr/bin/env bash
# Cluster figures on this machine, in one run:
#  - event-bus request-reply messages/s within one node and between two clustered nodes (same JVM, loopback);
#  - time for a fat-jar node to join a running one (process start to both seeing two members);
#  - job throughput, pi(10^9) in 64 chunks, on a one-node cluster vs a two-node cluster, alternating.
# On one 2-core machine the second node adds no cores: the job figures show the cost of clustering, not a
# speedup (see README).
#
#   bench/cluster.sh [rounds]      (default 3)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"

ROUNDS=${1:-3}
ensure_jar
LOGS=$(mktemp -d)
OPENS=(--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED)

echo "event bus..." >&2
EB=$(java "${OPENS[@]}" -cp "$ROOT/target/parallax.jar" "$ROOT/bench/java/EventBusBench.java" 5 2>/dev/null)
LOCAL=$(echo "$EB" | awk '/^local_msgs_per_s/ {print $2}')
REMOTE=$(echo "$EB" | awk '/^remote_msgs_per_s/ {print $2}')
INJVM_JOIN=$(echo "$EB" | awk '/^join_ms/ {print $2}')

# node NAME CLUSTER MEMBER_PORT MEMBERS: starts a clustered fat-jar node; its HTTP port is left in NODE_PORT.
# (Not run in $(...): the node's PID must reach BENCH_PIDS in this shell, to be stopped at the end.)
node() {
  NODE_PORT=$(free_port)
  start_bg "$LOGS/$1.log" "$ROOT/bin/parallax" --bridge-port 0 --http-host 127.0.0.1 --http-port "$NODE_PORT" \
    --cluster --cluster-name "$2" --cluster-member-port "$3" --cluster-members "$4"
}
members() { curl -fs "http://127.0.0.1:$1/api/cluster" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["members"]))'; }

ONE=bench-one-$$; TWO=bench-two-$$
P1=$(free_port); P2=$(free_port); P3=$(free_port)
node solo "$ONE" "$P1" "127.0.0.1:$P1"; SOLO=$NODE_PORT
node a "$TWO" "$P2" "127.0.0.1:$P2,127.0.0.1:$P3"; A=$NODE_PORT
wait_http "http://127.0.0.1:$SOLO/ready" 120
wait_http "http://127.0.0.1:$A/ready" 120

echo "joining..." >&2
JOIN_START=$(date +%s%N)
node b "$TWO" "$P3" "127.0.0.1:$P2,127.0.0.1:$P3"; B=$NODE_PORT
until [ "$(members "$A" 2>/dev/null || echo 0)" = 2 ] && [ "$(members "$B" 2>/dev/null || echo 0)" = 2 ]; do sleep 0.05; done
JOIN_MS=$(( ($(date +%s%N) - JOIN_START) / 1000000 ))

job() { python3 "$ROOT/bench/job_timer.py" "http://127.0.0.1:$1" primes '{"to": 1000000000}' 64 | cut -d' ' -f1; }
echo "warming up..." >&2
job "$SOLO" >/dev/null; job "$A" >/dev/null
ONE_NODE=(); TWO_NODES=()
for round in $(seq "$ROUNDS"); do
  ONE_NODE+=("$(job "$SOLO")")
  TWO_NODES+=("$(job "$A")")
  echo "round $round: one node ${ONE_NODE[-1]} ms, two nodes ${TWO_NODES[-1]} ms" >&2
done
read -r one one_min one_max < <(stats "${ONE_NODE[@]}")
read -r two two_min two_max < <(stats "${TWO_NODES[@]}")

echo
echo "Cluster figures, $(nproc) cores, $ROUNDS alternating job rounds, medians (min-max)"
printf '%-58s %14s\n' "measurement" "value"
printf '%-58s %14.0f\n' "event-bus request-reply msgs/s, within one node" "$LOCAL"
printf '%-58s %14.0f\n' "event-bus request-reply msgs/s, between two nodes" "$REMOTE"
printf '%-58s %14s\n' "second node joins, in-JVM Hazelcast (ms)" "$INJVM_JOIN"
printf '%-58s %14s\n' "second fat-jar node, process start to 2 members (ms)" "$JOIN_MS"
printf '%-58s %7.0f (%.0f-%.0f)\n' "pi(10^9), 64 chunks, one-node cluster (ms)" "$one" "$one_min" "$one_max"
printf '%-58s %7.0f (%.0f-%.0f)\n' "pi(10^9), 64 chunks, two-node cluster (ms)" "$two" "$two_min" "$two_max"
awk -v l="$LOCAL" -v r="$REMOTE" -v one="$one" -v two="$two" 'BEGIN {
  printf "remote / local messaging: %.3fx; two nodes / one node job time: %.2fx\n", r / l, two / one }'
