# One Switchboard from a jar in front of nginx backends: the setup startup.sh and memory.sh share;
# source, don't run. Sourcing it sets BENCH_DIR, ROOT, LIB, PY, JVM_FLAGS and JAR; defines log, die
# and is_uint; brings in common.sh (process bookkeeping, backends) with its traps and jvm.sh (heap
# and FD samples). Set NAME (the log prefix) before sourcing; set BACKEND_PORTS, PROXY_PORT,
# ADMIN_PORT, PINNED and PIN_LOAD before prepare_backends.
LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_DIR="$(dirname "$LIB")"
ROOT="$(dirname "$BENCH_DIR")"
export PYTHONDONTWRITEBYTECODE=1
PY="$(python3 -c 'import sys; print(sys.executable)')"

JAR="$ROOT/router/target/switchboard.jar"   # a --jar option sets JAR and JAR_GIVEN=1
JAR_GIVEN=0

log() { printf "[%s %s] %s\n" "$NAME" "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
STARTED_PIDS=()
LOAD_PID=""
WORK=""
# shellcheck source=common.sh
source "$LIB/common.sh"
# shellcheck source=jvm.sh
source "$LIB/jvm.sh"
# The JVM flags README.md recommends ("Sizing"); override with SWITCHBOARD_JVM_FLAGS="...".
JVM_FLAGS="${SWITCHBOARD_JVM_FLAGS:-$DEFAULT_JVM_FLAGS}"
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# Tools, free ports, a work directory, the jar (built if the default one is missing), the backends.
prepare_backends() {
  local tool p
  ensure_packages
  for tool in java jcmd; do command -v "$tool" >/dev/null || die "$tool not found (a JDK 17 is needed)"; done
  for p in "${BACKEND_PORTS[@]}" "$PROXY_PORT" "$ADMIN_PORT"; do check_port_free "$p" "$NAME"; done
  WORK="$(mktemp -d "/tmp/switchboard-$NAME.XXXXXX")"
  chmod 755 "$WORK"
  if [[ ! -f "$JAR" ]]; then
    (( JAR_GIVEN )) && die "--jar: $JAR does not exist"
    log "building $JAR"
    (cd "$ROOT" && ./mvnw -B -q -o -pl router -am -DskipTests package) >"$WORK/mvn.log" 2>&1 ||
      die "jar build failed; see $WORK/mvn.log"
  fi
  write_bodies
  start_backends
}

# A config like bench/switchboard.yaml (what run.sh measures) on the given ports, to stdout:
# write_config LISTEN_PORT [ADMIN_PORT] — with an admin port, the admin listener the README's
# default has on; without, none. Uses BACKEND_PORTS.
write_config() {
  local admin="{enabled: false}"
  [[ -n "${2:-}" ]] && admin="{enabled: true, address: 127.0.0.1, port: $2}"
  cat <<EOF
listen: {address: 127.0.0.1, port: $1}
admin: $admin
upstream: {connections_per_thread: 512}
services:
  bench:
    strategy: round_robin
    instances: [{address: "127.0.0.1:${BACKEND_PORTS[0]}"}, {address: "127.0.0.1:${BACKEND_PORTS[1]}"}, {address: "127.0.0.1:${BACKEND_PORTS[2]}"}]
routes:
  - {path: /, service: bench}
EOF
}
