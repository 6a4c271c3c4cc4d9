# Shared helpers for the bench/ scripts: installs, process control, wrk parsing, medians.
# Every process a script starts is tracked by PID and killed on exit.

BENCH_PIDS=()

bench_cleanup() {
  for pid in "${BENCH_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
}
trap bench_cleanup EXIT

ensure_wrk() {
  if ! command -v wrk >/dev/null 2>&1; then
    echo "installing wrk from Debian..." >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
}

ensure_jar() {
  if [ ! -f "$ROOT/target/parallax.jar" ]; then
    echo "building target/parallax.jar..." >&2
    (cd "$ROOT" && mvn -q -B package -DskipTests)
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL [seconds]: until URL answers 200.
wait_http() {
  local url=$1 deadline=$((SECONDS + ${2:-60}))
  until curl -fs -o /dev/null "$url"; do
    if [ $SECONDS -ge $deadline ]; then echo "no answer from $url" >&2; return 1; fi
    sleep 0.05
  done
}

# start_bg LOG CMD...: starts CMD in the background, records its PID in BENCH_PID and BENCH_PIDS.
start_bg() {
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  BENCH_PID=$!
  BENCH_PIDS+=("$BENCH_PID")
}

stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# wrk_run URL ARGS...: prints "requests_per_second p99_ms p50_ms max_ms".
wrk_run() {
  local url=$1; shift
  wrk "$@" --latency "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /^ +Latency +[0-9]/ { max = ms($4) }
    /^Requests\/sec/ { rps = $2 }
    END { printf "%.0f %.3f %.3f %.3f\n", rps, p99, p50, max }'
}

# stats VALUES...: "median min max" of numbers.
stats() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%s %s %s\n", m, v[1], v[NR] }'
}
