#!/usr/bin/env bash
# Side-by-side HTTP proxy benchmark: Switchboard vs nginx, HAProxy and Fabio (and a direct baseline)
# on this 2-core machine. See bench/README.md for the method and how to read the table.
#
#   bench/run.sh                     # full run: 5 interleaved rounds x 10 s, all proxies
#   bench/run.sh --quick             # smoke test: 1 round x 3 s, 5 s warm-up
#   bench/run.sh --proxies nginx,haproxy,fabio,direct --rounds 7
set -Eeuo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
LIB="$BENCH_DIR/lib"
export PYTHONDONTWRITEBYTECODE=1
# The real interpreter, not a version-manager shim that would sit between us and the process.
PY="$(python3 -c 'import sys; print(sys.executable)')"
CMDLINE="bench/run.sh"
for a in "$@"; do
  if [[ "$a" =~ ^[A-Za-z0-9_./,=:+-]+$ ]]; then CMDLINE+=" $a"; else CMDLINE+=" $(printf '%q' "$a")"; fi
done

# ---- tunables -------------------------------------------------------------------------------
# JVM flags for Switchboard (README's); override with SWITCHBOARD_JVM_FLAGS="..." bench/run.sh
# shellcheck source=lib/jvm.sh
source "$BENCH_DIR/lib/jvm.sh"
JVM_FLAGS="${SWITCHBOARD_JVM_FLAGS:-$DEFAULT_JVM_FLAGS}"
FABIO_VERSION="v1.6.3"            # exists on proxy.golang.org (checked 2026-11-21)
FABIO_BIN="${HOME}/.cache/switchboard/fabio-${FABIO_VERSION}/fabio"
JAR="$ROOT/router/target/switchboard.jar"
SWITCHBOARD_YAML="$BENCH_DIR/switchboard.yaml"

# Fixed high port range; bench/switchboard.yaml must agree with these.
BACKEND_PORTS=(18101 18102 18103)
declare -A PORT=([switchboard]=18080 [nginx]=18081 [haproxy]=18082 [fabio]=18083 [direct]=18101)
FABIO_UI_PORT=18093

ALL_PROXIES="nginx,haproxy,fabio,switchboard,direct"
PROXIES="$ALL_PROXIES"
BODIES="small,large"
CONNS="64,256"
ROUNDS=5
DURATION=10
WARMUP_SWITCHBOARD=80
WARMUP_OTHERS=5
PINNED=1
WRK_THREADS=""
REBUILD_JAR=0
STEAL_LIMIT=10
START_TIMEOUT_NATIVE=15
START_TIMEOUT_JVM=60

usage() {
  cat <<EOF
Usage: bench/run.sh [options]
  --quick            1 round, 3 s runs, 5 s warm-up (smoke test)
  --rounds N         interleaved rounds (default $ROUNDS)
  --duration S       seconds per wrk run (default $DURATION)
  --warmup S         Switchboard warm-up seconds under load (default $WARMUP_SWITCHBOARD; others $WARMUP_OTHERS s)
  --proxies LIST     comma list from: $ALL_PROXIES (default: all)
  --bodies LIST      comma list from: small,large (default $BODIES)
  --conns LIST       comma list of wrk connection counts (default $CONNS)
  --unpinned         do not pin (default: proxy on core 1, wrk + backends on core 0)
  --wrk-threads N    wrk threads (default 1 pinned, 2 unpinned)
  --rebuild-jar      rebuild router/target/switchboard.jar even if present
  -h, --help         this help
Environment: SWITCHBOARD_JVM_FLAGS overrides the JVM flags ("$JVM_FLAGS").
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROUNDS=1; DURATION=3; WARMUP_SWITCHBOARD=5; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP_SWITCHBOARD="$2"; shift 2 ;;
    --proxies) PROXIES="$2"; shift 2 ;;
    --bodies) BODIES="$2"; shift 2 ;;
    --conns) CONNS="$2"; shift 2 ;;
    --unpinned) PINNED=0; shift ;;
    --wrk-threads) WRK_THREADS="$2"; shift 2 ;;
    --rebuild-jar) REBUILD_JAR=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

exec 3>&2  # log to the original stderr even from inside redirected functions (traps run there)
log() { printf "[bench %s] %s\n" "$(date -u +%H:%M:%S)" "$*" >&3; }
die() { log "ERROR: $*"; exit 1; }

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
is_uint "$ROUNDS" && (( ROUNDS >= 1 )) || die "--rounds: $ROUNDS (expected: integer >= 1)"
is_uint "$DURATION" && (( DURATION >= 1 )) || die "--duration: $DURATION (expected: integer seconds >= 1)"
is_uint "$WARMUP_SWITCHBOARD" || die "--warmup: $WARMUP_SWITCHBOARD (expected: integer seconds >= 0)"
IFS=, read -r -a PROXY_LIST <<<"$PROXIES"
IFS=, read -r -a BODY_LIST <<<"$BODIES"
IFS=, read -r -a CONN_LIST <<<"$CONNS"
for p in "${PROXY_LIST[@]}"; do
  [[ ",$ALL_PROXIES," == *",$p,"* ]] || die "--proxies: $p (expected: one of $ALL_PROXIES)"
done
for b in "${BODY_LIST[@]}"; do
  [[ "$b" == small || "$b" == large ]] || die "--bodies: $b (expected: small or large)"
done
MAX_CONNS=0
for c in "${CONN_LIST[@]}"; do
  is_uint "$c" && (( c >= 1 )) || die "--conns: $c (expected: integer >= 1)"
  (( c > MAX_CONNS )) && MAX_CONNS=$c
done
if [[ -z "$WRK_THREADS" ]]; then
  WRK_THREADS=$(( PINNED ? 1 : 2 ))
fi
if (( PINNED )); then
  (( $(nproc) >= 2 )) || die "pinning needs 2 cores, nproc=$(nproc); use --unpinned"
  PIN_LOAD=(taskset -c 0)    # wrk, backends, measuring helper
  PIN_PROXY=(taskset -c 1)   # the proxy under test, alone
else
  PIN_LOAD=()
  PIN_PROXY=()
fi
has() { [[ ",$PROXIES," == *",$1,"* ]]; }

# ---- process bookkeeping: we stop only what we started, by PID ----------------------------
STARTED_PIDS=()      # every long-running process we started (root PIDs)
LOAD_PID=""          # the wrk/measure job currently running, if any
WORK=""
declare -A PROXY_PID=()
declare -A START_FAIL=()

# Process bookkeeping (stop_pid, cleanup, run_waited), packages, ports and the nginx backends.
# shellcheck source=lib/common.sh
source "$LIB/common.sh"
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# ---- 1. tools ---------------------------------------------------------------------------------
ensure_fabio() {
  [[ -x "$FABIO_BIN" ]] && return 0
  command -v go >/dev/null || { START_FAIL[fabio]="not built: no go toolchain"; return 0; }
  local dir; dir="$(dirname "$FABIO_BIN")"
  mkdir -p "$dir"
  log "building fabio $FABIO_VERSION into $dir (once; takes a few minutes)"
  if GOBIN="$dir" go install "github.com/fabiolb/fabio@$FABIO_VERSION" >"$dir/build.log" 2>&1; then
    return 0
  fi
  # On this machine's module proxy, .../@v/list and the checksum-database lookup for fabio are
  # refused, which `go install pkg@version` needs. Fall back to fetching the pinned module zip and
  # building it in the module cache, where fabio's own go.sum verifies every dependency.
  log "go install failed (see $dir/build.log); building from the downloaded module instead"
  local src
  src=$(GONOSUMDB=github.com/fabiolb/fabio go mod download -json "github.com/fabiolb/fabio@$FABIO_VERSION" \
        2>>"$dir/build.log" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["Dir"])') || src=""
  if [[ -n "$src" ]] && (cd "$src" && go build -mod=mod -buildvcs=false -trimpath \
        -ldflags "-X main.version=${FABIO_VERSION#v}" -o "$FABIO_BIN" .) >>"$dir/build.log" 2>&1; then
    return 0
  fi
  START_FAIL[fabio]="not built: see $dir/build.log"
}

ensure_jar() {
  if [[ -f "$JAR" && $REBUILD_JAR == 0 ]]; then return 0; fi
  # Only the router and what it depends on; offline first, online if a dependency is missing.
  log "building $JAR (./mvnw -B -q -pl router -am -DskipTests package)"
  if ! (cd "$ROOT" && { ./mvnw -B -q -o -pl router -am -DskipTests package ||
                        ./mvnw -B -q -pl router -am -DskipTests package; }) \
        >"$WORK/mvn.log" 2>&1; then
    START_FAIL[switchboard]="failed to start: jar build failed (see log)"
    cp "$WORK/mvn.log" "$RESULT_BASE-mvn.log" 2>/dev/null || true
  fi
}

check_yaml_in_sync() {
  local p
  grep -Eq "port:[[:space:]]*${PORT[switchboard]}\b" "$SWITCHBOARD_YAML" || return 1
  for p in "${BACKEND_PORTS[@]}"; do grep -q "127.0.0.1:$p" "$SWITCHBOARD_YAML" || return 1; done
}

# ---- 2. backends: start_backends in lib/common.sh ----------------------------------------------

# ---- 3. proxies -------------------------------------------------------------------------------
start_nginx_proxy() {
  local d="$WORK/nginx" p ups=""
  mkdir -p "$d"
  for p in "${BACKEND_PORTS[@]}"; do ups+="    server 127.0.0.1:$p;
"; done
  local ka=$(( MAX_CONNS * 2 > 1024 ? MAX_CONNS * 2 : 1024 ))
  { nginx_common "$d" "$(( PINNED ? 1 : 2 ))"
    cat <<EOF
http {
$(nginx_http_common "$d")
  upstream bench {
$ups    keepalive $ka;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
  }
  server {
    listen 127.0.0.1:${PORT[nginx]};
    location / {
      proxy_pass http://bench;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
EOF
  } >"$d/nginx.conf"
  nginx -t -q -p "$d" -e "$d/error.log" -c "$d/nginx.conf" || { START_FAIL[nginx]="failed to start: config invalid"; return; }
  "${PIN_PROXY[@]}" nginx -p "$d" -e "$d/error.log" -c "$d/nginx.conf" -g 'daemon off;' >"$d/stdout.log" 2>&1 &
  PROXY_PID[nginx]=$!
  STARTED_PIDS+=("$!")
}

start_haproxy() {
  local d="$WORK/haproxy" p i=0 servers="" maxconn=$(( MAX_CONNS * 4 > 4096 ? MAX_CONNS * 4 : 4096 ))
  local nofile=$(( maxconn * 2 + 1024 )) hard
  hard=$(ulimit -Hn)
  if [[ "$hard" != unlimited ]] && (( nofile > hard )); then
    START_FAIL[haproxy]="failed to start: needs ulimit -n $nofile, hard limit is $hard"; return
  fi
  mkdir -p "$d"
  for p in "${BACKEND_PORTS[@]}"; do i=$((i+1)); servers+="  server b$i 127.0.0.1:$p
"; done
  cat >"$d/haproxy.cfg" <<EOF
global
  maxconn $maxconn
$( (( PINNED )) && echo "  nbthread 1" )
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 300s
  option http-keep-alive
  option forwardfor
  http-reuse always
frontend fe
  bind 127.0.0.1:${PORT[haproxy]}
  default_backend be
backend be
  balance roundrobin
$servers
EOF
  haproxy -c -q -f "$d/haproxy.cfg" >"$d/check.log" 2>&1 || { START_FAIL[haproxy]="failed to start: config invalid"; return; }
  ( ulimit -n "$nofile" && exec "${PIN_PROXY[@]}" haproxy -db -f "$d/haproxy.cfg" ) >"$d/haproxy.log" 2>&1 &
  PROXY_PID[haproxy]=$!
  STARTED_PIDS+=("$!")
}

start_fabio() {
  [[ -n "${START_FAIL[fabio]:-}" ]] && return
  local d="$WORK/fabio" p routes=""
  mkdir -p "$d"
  for p in "${BACKEND_PORTS[@]}"; do routes+="route add bench / http://127.0.0.1:$p/
"; done
  "${PIN_PROXY[@]}" "$FABIO_BIN" \
    -proxy.addr "127.0.0.1:${PORT[fabio]}" \
    -ui.addr "127.0.0.1:$FABIO_UI_PORT" \
    -registry.backend static \
    -registry.static.routes "$routes" \
    -proxy.strategy rr \
    -proxy.maxconn 1024 \
    -log.level WARN \
    >"$d/fabio.log" 2>&1 &
  PROXY_PID[fabio]=$!
  STARTED_PIDS+=("$!")
}

start_switchboard() {
  [[ -n "${START_FAIL[switchboard]:-}" ]] && return
  [[ -f "$JAR" ]] || { START_FAIL[switchboard]="failed to start: $JAR missing"; return; }
  check_yaml_in_sync || { START_FAIL[switchboard]="failed to start: bench/switchboard.yaml ports differ from run.sh"; return; }
  local d="$WORK/switchboard"
  mkdir -p "$d"
  # shellcheck disable=SC2086  # JVM_FLAGS is a word list on purpose
  ( cd "$ROOT" && exec "${PIN_PROXY[@]}" java $JVM_FLAGS -jar "$JAR" run --config "$SWITCHBOARD_YAML" ) \
    >"$d/switchboard.log" 2>&1 &
  PROXY_PID[switchboard]=$!
  STARTED_PIDS+=("$!")
}

log_tail() { [[ -f "$1" ]] && tail -n 3 "$1" | tr '\n' ' ' | cut -c1-200; }

start_and_check() {  # proxy
  local p=$1 timeout=$START_TIMEOUT_NATIVE
  case "$p" in
    nginx) start_nginx_proxy ;;
    haproxy) start_haproxy ;;
    fabio) start_fabio ;;
    switchboard) start_switchboard; timeout=$START_TIMEOUT_JVM ;;
    direct) return 0 ;;
  esac
  [[ -n "${START_FAIL[$p]:-}" ]] && { log "$p: ${START_FAIL[$p]}"; return 0; }
  if ! wait_http "${PORT[$p]}" /small "$timeout" "${PROXY_PID[$p]}"; then
    local why="no successful request within ${timeout} s"
    proc_alive "${PROXY_PID[$p]}" || why="process exited"
    START_FAIL[$p]="failed to start ($why)"
    log "$p: ${START_FAIL[$p]}; log: $(log_tail "$WORK/$p/"*.log)"
    stop_pid "${PROXY_PID[$p]}"
    unset 'PROXY_PID[$p]'
    return 0
  fi
  local got
  got=$(curl -fsS --max-time 5 "http://127.0.0.1:${PORT[$p]}/large" | wc -c) || got=0
  if [[ "$got" != 16384 ]]; then
    START_FAIL[$p]="failed to start (/large returned $got bytes, expected 16384)"
    log "$p: ${START_FAIL[$p]}"; stop_pid "${PROXY_PID[$p]}"; unset 'PROXY_PID[$p]'
    return 0
  fi
  log "$p: up on port ${PORT[$p]} (pid ${PROXY_PID[$p]})"
}

# ---- 5/6. load ----------------------------------------------------------------------------------
wrk_cmd() {  # port body conns duration
  echo wrk -t"$WRK_THREADS" -c"$3" -d"$4"s --latency "http://127.0.0.1:$1/$2"
}

# Warm-up in slices of at most WARMUP_SLICE seconds, each a new wrk (so new connections), cycling
# through the bodies and connection counts the rounds use. Every round opens and closes its
# connections; a JIT-compiled proxy that has not seen that yet deoptimizes its read path when the
# first connections close and recompiles during the next run (HotSpot's "made not entrant" on
# Undertow's HttpReadListener): with one long warm-up that landed in round 1's p99 (bench/RESULTS.md,
# 2026-12-05). Harmless for the others.
WARMUP_SLICE=5
warm_up() {  # proxy
  local p=$1 secs=$WARMUP_OTHERS nb=${#BODY_LIST[@]} nc=${#CONN_LIST[@]} i
  [[ "$p" == switchboard ]] && secs=$WARMUP_SWITCHBOARD
  (( secs > 0 )) || return 0
  local slice=$(( secs < WARMUP_SLICE ? secs : WARMUP_SLICE ))
  local slices=$(( (secs + slice - 1) / slice ))
  (( slices < nb * nc && secs >= nb * nc )) && { slices=$(( nb * nc )); slice=$(( secs / slices )); }
  log "$p: warm-up ${slices} x ${slice}s, each a new wrk, bodies ${BODIES}, connections ${CONNS}"
  for (( i = 0; i < slices; i++ )); do
    # shellcheck disable=SC2046
    run_waited "${PIN_LOAD[@]}" $(wrk_cmd "${PORT[$p]}" "${BODY_LIST[i % nb]}" "${CONN_LIST[(i / nb) % nc]}" "$slice") \
      >>"$WORK/warmup.log" 2>&1 || true
  done
}

MEASURE_RES=""
measure() {  # proxy body conns round attempt; sets MEASURE_RES to the steal % (or FAILED ...)
  local p=$1 out="$WORK/measure.out" rc=0
  # shellcheck disable=SC2046
  run_waited "${PIN_LOAD[@]}" "$PY" "$LIB/measure.py" --csv "$RESULT_BASE.csv" --wrk-log "$WORK/wrk.log" \
    --round "$4" --proxy "$p" --body "$2" --conns "$3" --attempt "$5" \
    --proxy-pid "${PROXY_PID[$p]:-0}" --backend-pid "$BACKEND_PID" --proxy-core "$(( PINNED ? 1 : -1 ))" \
    -- $(wrk_cmd "${PORT[$p]}" "$2" "$3" "$DURATION") >"$out" || rc=$?
  MEASURE_RES=$(tail -n 1 "$out")
  return "$rc"
}

# ---- main -----------------------------------------------------------------------------------
# Everything below runs inside main(), which bash parses completely before running it: editing this
# file during a long benchmark then cannot make the running script read shifted bytes.
main() {
for p in "${BACKEND_PORTS[@]}"; do check_port_free "$p" backend; done
for p in "${PROXY_LIST[@]}"; do
  [[ "$p" == direct ]] && continue
  check_port_free "${PORT[$p]}" "$p"
done
has fabio && check_port_free "$FABIO_UI_PORT" "fabio ui"
mkdir -p "$BENCH_DIR/results"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULT_BASE="$BENCH_DIR/results/$STAMP"
WORK=$(mktemp -d /tmp/switchboard-bench.XXXXXX)
chmod 755 "$WORK"
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)

ensure_packages
has fabio && ensure_fabio
has switchboard && ensure_jar


write_bodies
start_backends
log "backends up on ${BACKEND_PORTS[*]} (pid $BACKEND_PID)"
for p in "${PROXY_LIST[@]}"; do start_and_check "$p"; done

ACTIVE=()
for p in "${PROXY_LIST[@]}"; do [[ -z "${START_FAIL[$p]:-}" ]] && ACTIVE+=("$p"); done
(( ${#ACTIVE[@]} )) || die "no proxy started"

# What each proxy forwards (X-Forwarded-For etc.), as seen by a backend.
declare -gA SEEN=()
for p in "${ACTIVE[@]}"; do
  SEEN[$p]=$(curl -fsS --max-time 5 "http://127.0.0.1:${PORT[$p]}/headers" 2>/dev/null || echo "?")
done

for p in "${ACTIVE[@]}"; do warm_up "$p"; done

declare -gA DEAD=()
TOTAL_RUNS=$(( ROUNDS * ${#BODY_LIST[@]} * ${#CONN_LIST[@]} * ${#ACTIVE[@]} ))
log "measuring: $ROUNDS round(s) x ${#BODY_LIST[@]} bodies x ${#CONN_LIST[@]} conns x ${#ACTIVE[@]} targets = $TOTAL_RUNS runs of ${DURATION}s"
for (( r=1; r<=ROUNDS; r++ )); do
  for b in "${BODY_LIST[@]}"; do
    for c in "${CONN_LIST[@]}"; do
      for p in "${ACTIVE[@]}"; do
        [[ -n "${DEAD[$p]:-}" ]] && continue
        rc=0; measure "$p" "$b" "$c" "$r" 1 || rc=$?
        res=$MEASURE_RES
        if (( rc == 3 )); then DEAD[$p]=1; log "$p: process died in round $r; no further runs"; continue; fi
        if (( rc == 0 )) && "$PY" -c "import sys; sys.exit(0 if float('$res') > $STEAL_LIMIT else 1)"; then
          log "$p $b c=$c: steal ${res}% > ${STEAL_LIMIT}%, repeating once"
          rc=0; measure "$p" "$b" "$c" "$r" 2 || rc=$?
          (( rc == 3 )) && { DEAD[$p]=1; log "$p: process died in round $r"; }
        fi
      done
    done
  done
done

# ---- 7. report ---------------------------------------------------------------------------------
ver() { { "$@" 2>&1 || true; } | sed -n 1p; }
JAR_DESC="not used"
if has switchboard; then
  if [[ -f "$JAR" ]]; then
    JAR_DESC="$(basename "$JAR") built $(date -u -r "$JAR" +%Y-%m-%dT%H:%MZ) from the working tree (HEAD at report time: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?))"
  else
    JAR_DESC="missing"
  fi
fi
{
  echo "## Benchmark $(date -u +'%Y-%m-%d %H:%M UTC')"
  echo
  echo "- command: \`$CMDLINE\`"
  echo "- machine: nproc $(nproc), kernel $(uname -r), load average at start $LOAD_AT_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
  if (( PINNED )); then
    echo "- pinning: each proxy alone on core 1 (\`taskset -c 1\`); wrk and the nginx backends on core 0"
  else
    echo "- pinning: none (\`--unpinned\`)"
  fi
  echo "- load: $ROUNDS interleaved round(s) x ${DURATION}s per run, wrk -t$WRK_THREADS --latency; bodies ${BODIES} (small = 100 B, large = 16384 B); connections ${CONNS}"
  echo "- warm-up under load before round 1: switchboard ${WARMUP_SWITCHBOARD}s, others ${WARMUP_OTHERS}s; a run with steal > ${STEAL_LIMIT}% is repeated once"
  echo "- versions: nginx $(ver nginx -v | sed 's|.*nginx/||'); HAProxy $(ver haproxy -v | awk '{print $3}');" \
       "fabio $(if has fabio && [[ -x "$FABIO_BIN" ]]; then ver "$FABIO_BIN" -v; else echo 'not used'; fi);" \
       "java $(ver java -version | awk -F'"' '{print $2}'); wrk $(ver wrk -v | awk '{print $2}')"
  echo "- switchboard: $JAR_DESC; JVM flags \`$JVM_FLAGS\`"
  echo "- headers a backend saw per proxy (curl /headers):"
  for p in "${ACTIVE[@]}"; do echo "  - $p: \`$(echo "${SEEN[$p]}" | tr -d '\n')\`"; done
} >"$WORK/header.md"
: >"$WORK/start-status.tsv"
for p in "${PROXY_LIST[@]}"; do
  [[ -n "${START_FAIL[$p]:-}" ]] && printf '%s\t%s\n' "$p" "${START_FAIL[$p]}" >>"$WORK/start-status.tsv"
done
BASELINE=nginx
has nginx || BASELINE="${PROXY_LIST[0]}"
"$PY" "$LIB/report.py" --csv "$RESULT_BASE.csv" --header "$WORK/header.md" \
  --proxies "$PROXIES" --bodies "$BODIES" --conns "$CONNS" \
  --start-status "$WORK/start-status.tsv" --steal-limit "$STEAL_LIMIT" --baseline "$BASELINE" \
  >"$RESULT_BASE.md"
cat "$RESULT_BASE.md"
log "saved $RESULT_BASE.md and $RESULT_BASE.csv"
}

main
exit $?
