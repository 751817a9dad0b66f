#!/usr/bin/env bash
# Soak test (issue #7): Switchboard under a steady request rate for a bounded time while an API
# backend is added and removed every few seconds through the admin API. Every 30 s it records the
# heap after a full GC, the router's open file descriptors, p99 latency, rate and errors; at the end
# it prints the table and a verdict: heap and FDs flat within a tolerance, zero errors, p99 stable.
#
#   bench/soak.sh                    # 30 minutes (the issue's soak)
#   bench/soak.sh --minutes 3        # a short run
#   bench/soak.sh --minutes 10 --conns 64 --delay-ms 10 --churn-every 2
#
# Load: wrk with a fixed connection count, each connection pausing --delay-ms between requests
# (wrk's Lua delay()), so the offered rate is about conns * 1000 / (delay + latency) and stays
# steady; wrk2 is not packaged in Debian. wrk runs in back-to-back 30 s segments, one per sample.
# Backends: nginx on 127.0.0.1:18201-18203 (18203 is the one that churns). Switchboard runs from
# router/target/switchboard.jar (built if missing) on 18280, admin on 18281 with a random token.
# Everything this script starts it stops by PID. Exit status: 0 if the verdict is PASS, 1 if not.
set -Eeuo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$ROOT/router/target/switchboard.jar"
# shellcheck source=lib/jvm.sh
source "$BENCH_DIR/lib/jvm.sh"
JVM_FLAGS="${SWITCHBOARD_JVM_FLAGS:-$DEFAULT_JVM_FLAGS}"
PROXY_PORT=18280
ADMIN_PORT=18281
BACKEND_PORTS=(18201 18202)
CHURN_PORT=18203

MINUTES=30
CONNS=32
DELAY_MS=20
CHURN_EVERY=5
SAMPLE_SECONDS=30
# HEAP_TOLERANCE_PCT/_MIB (the flat-heap rule), sample_heap_mib, sample_fds
FD_TOLERANCE=20            # open FDs other than pooled upstream connections may differ from the first sample by this many
IO_THREADS=2
POOL_PER_THREAD=256        # upstream.connections_per_thread: pooled connections stay <= this x IO_THREADS x 3 backends
P99_FACTOR=3               # no segment's p99 above this many times the median segment p99 ...
P99_FLOOR_MS=5             # ... unless it is under this floor

usage() {
  cat <<EOF
Usage: bench/soak.sh [options]
  --minutes N        soak length in minutes (default $MINUTES; 1..600)
  --conns N          wrk connections (default $CONNS)
  --delay-ms N       pause per connection between requests, in ms (default $DELAY_MS)
  --churn-every S    seconds between adding and removing the API backend (default $CHURN_EVERY)
  --rebuild-jar      rebuild $JAR first
  -h, --help         this help
Environment: SWITCHBOARD_JVM_FLAGS (default "$JVM_FLAGS").
Verdict: heap after GC within +max(${HEAP_TOLERANCE_PCT}%, ${HEAP_TOLERANCE_MIB} MiB) of the first sample,
open FDs other than pooled upstream connections within ±$FD_TOLERANCE, pooled upstream connections within
the pool's bound, zero errors (non-2xx, socket errors, failed churn calls), every segment's p99 <=
max(${P99_FACTOR}x the median segment p99, $P99_FLOOR_MS ms).
EOF
}

REBUILD=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --conns) CONNS="$2"; shift 2 ;;
    --delay-ms) DELAY_MS="$2"; shift 2 ;;
    --churn-every) CHURN_EVERY="$2"; shift 2 ;;
    --rebuild-jar) REBUILD=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "soak.sh: unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf "[soak %s] %s\n" "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
is_uint "$MINUTES" && (( MINUTES >= 1 && MINUTES <= 600 )) || die "--minutes: $MINUTES (expected: 1..600)"
is_uint "$CONNS" && (( CONNS >= 1 )) || die "--conns: $CONNS (expected: integer >= 1)"
is_uint "$DELAY_MS" || die "--delay-ms: $DELAY_MS (expected: integer >= 0)"
is_uint "$CHURN_EVERY" && (( CHURN_EVERY >= 1 )) || die "--churn-every: $CHURN_EVERY (expected: integer seconds >= 1)"
export PATH="$PATH:/usr/sbin:/sbin"
for tool in wrk nginx java jcmd curl python3; do command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y wrk nginx)"; done
for p in "$PROXY_PORT" "$ADMIN_PORT" "${BACKEND_PORTS[@]}" "$CHURN_PORT"; do
  [[ -z "$(ss -Htln "( sport = :$p )" 2>/dev/null)" ]] || die "port $p is in use"
done

# ---- processes we start, stopped by PID ------------------------------------------------------
STARTED=()
WORK="$(mktemp -d /tmp/switchboard-soak.XXXXXX)"
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "pid $pid ignored TERM for 5 s; KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$? i
  trap - EXIT INT TERM
  for (( i=${#STARTED[@]}-1; i>=0; i-- )); do stop_pid "${STARTED[$i]}"; done
  if (( rc == 0 )); then rm -rf "$WORK"; else log "logs kept in $WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

wait_http() {  # url timeout_s pid
  local deadline=$(( SECONDS + $2 ))
  while (( SECONDS < deadline )); do
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# ---- backends: one nginx, three ports ------------------------------------------------------------
mkdir -p "$WORK/www" "$WORK/nginx/tmp"
printf '%099d\n' 0 | tr 0 s >"$WORK/www/small"
chmod -R a+rX "$WORK"
{
  echo "worker_processes 1; worker_rlimit_nofile 16384; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log warn;"
  echo "events { worker_connections 8192; }"
  echo "http { access_log off; server_tokens off; keepalive_requests 1000000; keepalive_timeout 300s;"
  echo "  client_body_temp_path $WORK/nginx/tmp/body; proxy_temp_path $WORK/nginx/tmp/proxy;"
  echo "  fastcgi_temp_path $WORK/nginx/tmp/fastcgi; uwsgi_temp_path $WORK/nginx/tmp/uwsgi; scgi_temp_path $WORK/nginx/tmp/scgi;"
  for p in "${BACKEND_PORTS[@]}" "$CHURN_PORT"; do
    echo "  server { listen 127.0.0.1:$p; root $WORK/www; default_type text/plain; location = /small { } }"
  done
  echo "}"
} >"$WORK/nginx/nginx.conf"
nginx -t -q -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" || die "nginx config invalid"
nginx -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' >"$WORK/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
STARTED+=("$NGINX_PID")
for p in "${BACKEND_PORTS[@]}" "$CHURN_PORT"; do
  wait_http "http://127.0.0.1:$p/small" 10 "$NGINX_PID" || die "backend on $p did not answer ($WORK/nginx/error.log)"
done

# ---- switchboard -------------------------------------------------------------------------------
if [[ ! -f "$JAR" || $REBUILD == 1 ]]; then
  log "building $JAR"
  (cd "$ROOT" && { ./mvnw -B -q -o -pl router -am -DskipTests package || ./mvnw -B -q -pl router -am -DskipTests package; }) \
    >"$WORK/mvn.log" 2>&1 || die "jar build failed; see $WORK/mvn.log"
fi
TOKEN="soak-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
cat >"$WORK/switchboard.yaml" <<EOF
listen: {address: 127.0.0.1, port: $PROXY_PORT, io_threads: $IO_THREADS}
admin: {enabled: true, address: 127.0.0.1, port: $ADMIN_PORT}
upstream: {connections_per_thread: $POOL_PER_THREAD}
services:
  api:
    instances: [{address: "127.0.0.1:${BACKEND_PORTS[0]}"}, {address: "127.0.0.1:${BACKEND_PORTS[1]}"}]
routes:
  - {path: /, service: api}
EOF
# The token goes through the environment, never the command line or the config file.
# shellcheck disable=SC2086  # JVM_FLAGS is a word list on purpose
SWITCHBOARD_ADMIN_TOKEN="$TOKEN" java $JVM_FLAGS -jar "$JAR" run --config "$WORK/switchboard.yaml" >"$WORK/switchboard.log" 2>&1 &
SB_PID=$!
STARTED+=("$SB_PID")
wait_http "http://127.0.0.1:$PROXY_PORT/small" 60 "$SB_PID" || die "switchboard did not serve; see $WORK/switchboard.log"
wait_http "http://127.0.0.1:$ADMIN_PORT/ready" 30 "$SB_PID" || die "admin listener not ready; see $WORK/switchboard.log"
log "switchboard pid $SB_PID; backends ${BACKEND_PORTS[*]}, churning 127.0.0.1:$CHURN_PORT every ${CHURN_EVERY}s"

# ---- backend churn through the admin API ---------------------------------------------------------
churn_loop() {
  local ok=0 fail=0 id out
  trap 'echo "$ok $fail" >"$WORK/churn.count"; exit 0' TERM
  while :; do
    out=$(curl -sS --max-time 5 -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
          -d "{\"service\":\"api\",\"address\":\"127.0.0.1\",\"port\":$CHURN_PORT}" \
          "http://127.0.0.1:$ADMIN_PORT/api/v1/backends" 2>>"$WORK/churn.log") || out=$'\n000'
    if [[ "${out##*$'\n'}" == 201 ]]; then
      ok=$((ok + 1))
      id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["added"]["id"])' "${out%$'\n'*}")
    else
      fail=$((fail + 1)); echo "add failed: $out" >>"$WORK/churn.log"; id=""
    fi
    echo "$ok $fail" >"$WORK/churn.count"
    sleep "$CHURN_EVERY" & wait $!
    if [[ -n "$id" ]]; then
      out=$(curl -sS --max-time 5 -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
            -d "{\"service\":\"api\",\"backend\":\"$id\"}" \
            "http://127.0.0.1:$ADMIN_PORT/api/v1/backends/remove" 2>>"$WORK/churn.log") || out=$'\n000'
      if [[ "${out##*$'\n'}" == 200 ]]; then ok=$((ok + 1)); else fail=$((fail + 1)); echo "remove failed: $out" >>"$WORK/churn.log"; fi
      echo "$ok $fail" >"$WORK/churn.count"
    fi
    sleep "$CHURN_EVERY" & wait $!
  done
}
churn_loop &
CHURN_PID=$!
STARTED+=("$CHURN_PID")

# ---- load in 30 s segments, one sample after each ---------------------------------------------
cat >"$WORK/load.lua" <<EOF
function delay() return $DELAY_MS end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("SOAK requests=%d duration_us=%d non2xx=%d socket=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
EOF

SEGMENTS=$(( (MINUTES * 60 + SAMPLE_SECONDS - 1) / SAMPLE_SECONDS ))
log "soak: $MINUTES min = $SEGMENTS segments of ${SAMPLE_SECONDS}s; wrk -c $CONNS with ${DELAY_MS} ms pause per request"
# Pooled connections to the backends. Their number follows the load's peak concurrency within the
# keep-alive TTL (wrk restarts every segment, so every 30 s all connections send at once), bounded
# by the pool size; they are reported apart from the other descriptors, which must stay flat.
sample_upstream() {
  ss -Htn state established "( dport = :${BACKEND_PORTS[0]} or dport = :${BACKEND_PORTS[1]} or dport = :$CHURN_PORT )" -p 2>/dev/null |
    grep -c "pid=$SB_PID," || true
}
# samples: t heap_mib fds churn_ok churn_fail req_per_s requests p50_us p99_us load_errors upstream_conns
echo "0 $(sample_heap_mib) $(sample_fds) 0 0 0 0 0 0 0 $(sample_upstream)" >"$WORK/samples"
for (( s=1; s<=SEGMENTS; s++ )); do
  kill -0 "$SB_PID" 2>/dev/null || die "switchboard exited; see $WORK/switchboard.log"
  wrk -t1 -c"$CONNS" -d"${SAMPLE_SECONDS}s" --timeout 10s -s "$WORK/load.lua" "http://127.0.0.1:$PROXY_PORT/small" \
    >"$WORK/wrk-$s.log" 2>&1 & WRK_PID=$!
  STARTED+=("$WRK_PID")
  wait "$WRK_PID" || die "wrk failed; see $WORK/wrk-$s.log"
  unset 'STARTED[${#STARTED[@]}-1]'
  line=$(grep '^SOAK ' "$WORK/wrk-$s.log") || die "no summary in $WORK/wrk-$s.log"
  eval "$(sed 's/^SOAK //' <<<"$line")"   # requests= duration_us= non2xx= socket= p50_us= p99_us= max_us=
  read -r churn_ok churn_fail <"$WORK/churn.count" 2>/dev/null || { churn_ok=0; churn_fail=0; }
  echo "$(( s * SAMPLE_SECONDS )) $(sample_heap_mib) $(sample_fds) $churn_ok $churn_fail $(( requests * 1000000 / duration_us ))" \
    "$requests $p50_us $p99_us $(( non2xx + socket )) $(sample_upstream)" >>"$WORK/samples"
  tail -1 "$WORK/samples" | awk '{printf "[soak] t=%ss heap=%s MiB fds=%s (upstream %s) churn ok/failed=%s/%s rate=%s/s p99=%.2f ms load errors=%s\n", $1, $2, $3, $11, $4, $5, $6, $9/1000, $10}' >&2
done

# ---- table and verdict ---------------------------------------------------------------------
python3 - "$WORK/samples" "$HEAP_TOLERANCE_PCT" "$HEAP_TOLERANCE_MIB" "$FD_TOLERANCE" "$P99_FACTOR" "$P99_FLOOR_MS" \
  "$(( POOL_PER_THREAD * IO_THREADS * 3 ))" <<'EOF'
import statistics, sys
path, heap_pct, heap_mib, fd_tol, p99_factor, p99_floor, pool_bound = sys.argv[1], *map(float, sys.argv[2:])
rows = [l.split() for l in open(path) if l.strip()]
print(f"{'t(s)':>6} {'heap MiB':>9} {'fds':>6} {'upstream':>8} {'other':>6} {'churn ok':>8} {'churn err':>9} {'req/s':>7} {'requests':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
for t, heap, fds, cok, cfail, rate, req, p50, p99, err, up in rows:
    print(f"{t:>6} {heap:>9} {fds:>6} {up:>8} {int(fds) - int(up):>6} {cok:>8} {cfail:>9} {rate:>7} {req:>9} {int(p50)/1000:>7.2f} {int(p99)/1000:>7.2f} {err:>6}")
load = rows[1:]
# Baseline: the first sample under load (the idle sample before it has no pooled connections yet).
other = [int(r[2]) - int(r[10]) for r in load]
upstream = [int(r[10]) for r in load]
base_heap, base_fds = float(load[0][1]), other[0]
last_heap, last_fds = float(load[-1][1]), other[-1]
max_fds, min_fds = max(other), min(other)
heap_limit = base_heap + max(base_heap * heap_pct / 100, heap_mib)
p99s = [int(r[8]) / 1000 for r in load]
p99_limit = max(statistics.median(p99s) * p99_factor, p99_floor)
load_errors = sum(int(r[9]) for r in load)
churn_ok, churn_fail = int(load[-1][3]), int(load[-1][4])  # cumulative counters
total_req = sum(int(r[6]) for r in load)
rates = [int(r[5]) for r in load]
checks = [
    (f"heap after GC {base_heap:.1f} -> {last_heap:.1f} MiB (limit {heap_limit:.1f})", last_heap <= heap_limit),
    (f"open fds other than pooled upstream connections {base_fds} -> {last_fds} (range {min_fds}..{max_fds}, "
     f"tolerance ±{fd_tol:.0f})", abs(last_fds - base_fds) <= fd_tol and max_fds - base_fds <= fd_tol),
    (f"pooled upstream connections {upstream[0]} -> {upstream[-1]} (range {min(upstream)}..{max(upstream)}, "
     f"bound {pool_bound:.0f} = pool size x IO threads x backends)", max(upstream) <= pool_bound),
    (f"errors: {load_errors} in {total_req} requests (rate {min(rates)}..{max(rates)}/s), {churn_fail} failed of "
     f"{churn_ok + churn_fail} churn calls", load_errors == 0 and churn_fail == 0 and churn_ok > 0),
    (f"p99 per segment {min(p99s):.2f}..{max(p99s):.2f} ms (limit {p99_limit:.2f} ms = max({p99_factor:.0f}x median, {p99_floor:.0f} ms))",
     max(p99s) <= p99_limit),
]
for text, ok in checks:
    print(("PASS  " if ok else "FAIL  ") + text)
ok = all(ok for _, ok in checks)
print("VERDICT: " + ("PASS (flat heap and fds, zero errors, stable p99)" if ok else "FAIL"))
sys.exit(0 if ok else 1)
EOF
