#!/usr/bin/env bash
# Paired A/B of two Switchboard jars: is a change cheaper per request, on a box whose speed drifts?
#
# run.sh measures proxies one after another, so a neighbour that slows the machine for a minute
# lands on whichever proxy ran then: on this shared box one proxy's CPU per request moves ±20 %
# between rounds, more than most single changes are worth. Here both jars run at the same time,
# both pinned to core 1, each with its own wrk (both on core 0 with the shared nginx backends), and
# every round loads them together; CPU per request (user and system ticks from /proc) is compared
# within each round, so whatever disturbs the machine disturbs both. Prints each round and the
# median of the per-round ratios B/A.
#
#   bench/ab.sh --a old.jar --b new.jar                    # 100 B, 64 connections, 10 rounds
#   bench/ab.sh --a old.jar --b new.jar --body large --conns 256 --rounds 6
#   bench/ab.sh --a sb.jar --b sb.jar --flags-b "-XX:+UseSerialGC -Xms96m -Xmx96m"   # JVM flags A/B
#
# Build the two jars in separate trees (git worktree or git archive) with
# ./mvnw -q -pl router -am package -DskipTests; each is router/target/switchboard.jar.
# Ports (127.0.0.1): backends 18501-18503, A 18580, B 18590. Everything it starts it stops by PID.
set -Eeuo pipefail

NAME=ab
# shellcheck source=lib/switchboard.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/switchboard.sh"
BACKEND_PORTS=(18501 18502 18503)
PROXY_PORT=18580
PORT_B=18590
ADMIN_PORT=18581
ROUNDS=10
DURATION=5
WARMUP=120
BODY=small
CONNS=64
JAR_A=""
JAR_B=""
FLAGS_A=""
FLAGS_B=""

usage() {
  cat <<EOF
Usage: bench/ab.sh --a JAR --b JAR [options]
  --a JAR, --b JAR   the two Switchboard jars (A is the baseline); may be the same jar
  --flags-a F, --flags-b F
                     JVM flags for A or B (default for both: "$JVM_FLAGS")
  --rounds N         paired rounds (default $ROUNDS)
  --duration S       seconds per round (default $DURATION)
  --warmup S         both under load before the first round (default $WARMUP; with two JVMs sharing
                     a core the JIT needs about two minutes)
  --body B           small (100 B) or large (16 KiB) (default $BODY)
  --conns N          wrk connections per proxy (default $CONNS)
  -h, --help         this help
Environment: SWITCHBOARD_JVM_FLAGS (default "$JVM_FLAGS"), for whichever has no --flags-a/-b.
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --a) JAR_A="$(realpath -m "$2")"; shift 2 ;;
    --b) JAR_B="$(realpath -m "$2")"; shift 2 ;;
    --flags-a) FLAGS_A="$2"; shift 2 ;;
    --flags-b) FLAGS_B="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --body) BODY="$2"; shift 2 ;;
    --conns) CONNS="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "ab.sh: unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

[[ -f "$JAR_A" && -f "$JAR_B" ]] || die "--a and --b must name existing jars (see --help)"
for n in "$ROUNDS" "$DURATION" "$CONNS"; do is_uint "$n" && (( n >= 1 )) || die "not a positive integer: $n"; done
is_uint "$WARMUP" || die "--warmup: $WARMUP"
[[ "$BODY" == small || "$BODY" == large ]] || die "--body: $BODY (expected: small or large)"
(( $(nproc) >= 2 )) || die "needs 2 cores, nproc=$(nproc)"
check_port_free "$PORT_B" "ab: B"
PINNED=1
PIN_LOAD=(taskset -c 0)
PIN_PROXY=(taskset -c 1)
JAR="$JAR_A"   # prepare_backends only checks that it exists
prepare_backends

FLAGS_A="${FLAGS_A:-$JVM_FLAGS}"
FLAGS_B="${FLAGS_B:-$JVM_FLAGS}"
start_proxy() {  # label jar port flags; prints the pid
  write_config "$3" >"$WORK/$1.yaml"
  # shellcheck disable=SC2086  # the flags are a word list on purpose
  "${PIN_PROXY[@]}" java $4 -jar "$2" run --config "$WORK/$1.yaml" >"$WORK/$1.log" 2>&1 &
  echo $!
}
PID_A=$(start_proxy a "$JAR_A" "$PROXY_PORT" "$FLAGS_A")
STARTED_PIDS+=("$PID_A")
PID_B=$(start_proxy b "$JAR_B" "$PORT_B" "$FLAGS_B")
STARTED_PIDS+=("$PID_B")
wait_http "$PROXY_PORT" /small 60 "$PID_A" || die "A did not serve; see $WORK/a.log"
wait_http "$PORT_B" /small 60 "$PID_B" || die "B did not serve; see $WORK/b.log"

wrk_of() { echo wrk -t1 -c"$CONNS" -d"$2"s --latency "http://127.0.0.1:$1/$BODY"; }
log "A $JAR_A (pid $PID_A) on $PROXY_PORT, flags $FLAGS_A"
log "B $JAR_B (pid $PID_B) on $PORT_B, flags $FLAGS_B; both on core 1"
if (( WARMUP > 0 )); then
  # In slices of new connections, as run.sh: a JVM first seeing connections close deoptimizes its
  # read path, which one long warm-up would leave to round 1.
  slice=$(( WARMUP < 10 ? WARMUP : 10 ))
  log "warm-up ${WARMUP}s in ${slice}s slices, each a new wrk, both under load"
  for (( w=0; w<WARMUP; w+=slice )); do
    d=$(( WARMUP - w < slice ? WARMUP - w : slice ))
    # shellcheck disable=SC2046
    run_waited "${PIN_LOAD[@]}" "$PY" "$LIB/pair.py" --csv "$WORK/warmup.csv" --round 0 --pid-a "$PID_A" --pid-b "$PID_B" \
      -- $(wrk_of "$PROXY_PORT" "$d") -- $(wrk_of "$PORT_B" "$d") || die "warm-up failed"
  done
fi
for (( r=1; r<=ROUNDS; r++ )); do
  # shellcheck disable=SC2046
  run_waited "${PIN_LOAD[@]}" "$PY" "$LIB/pair.py" --csv "$WORK/rounds.csv" --round "$r" --pid-a "$PID_A" --pid-b "$PID_B" \
    -- $(wrk_of "$PROXY_PORT" "$DURATION") -- $(wrk_of "$PORT_B" "$DURATION") || die "round $r failed"
done

"$PY" - "$WORK/rounds.csv" "$BODY" "$CONNS" "$JAR_A $FLAGS_A" "$JAR_B $FLAGS_B" <<'EOF'
import csv, statistics, sys
path, body, conns, jar_a, jar_b = sys.argv[1:6]
rounds = {}
for r in csv.DictReader(open(path)):
    rounds.setdefault(r["round"], {})[r["proxy"]] = r
print(f"A = {jar_a}\nB = {jar_b}\nbody {body}, {conns} connections each, both proxies on one core\n")
print("| round | A µs/req (user+sys) | B µs/req (user+sys) | B/A CPU | B/A user | A p99 ms | B p99 ms | errors A/B |")
print("|---|---|---|---|---|---|---|---|")
cpu, user = [], []
for k in sorted(rounds, key=int):
    a, b = rounds[k]["a"], rounds[k]["b"]
    c = float(b["cpu_us_per_req"]) / float(a["cpu_us_per_req"])
    u = float(b["user_us_per_req"]) / float(a["user_us_per_req"])
    cpu.append(c)
    user.append(u)
    print(f"| {k} | {a['cpu_us_per_req']} ({a['user_us_per_req']}+{a['system_us_per_req']}) "
          f"| {b['cpu_us_per_req']} ({b['user_us_per_req']}+{b['system_us_per_req']}) | {c:.3f} | {u:.3f} "
          f"| {a['p99_ms']} | {b['p99_ms']} | {a['errors']}/{b['errors']} |")
print(f"\nmedian B/A: CPU per request {statistics.median(cpu):.3f} (rounds from {min(cpu):.3f} to {max(cpu):.3f}), "
      f"user CPU per request {statistics.median(user):.3f}")
EOF
