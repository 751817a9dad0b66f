#!/usr/bin/env bash
# Startup time (issue #8: "startup to first routed request <= 1.5 s"). Starts an nginx backend, then
# launches Switchboard from a jar N times with a static config that routes / to that backend, and
# measures, for every launch, the wall time from the launch to
#   - the first 200 proxied through the router (GET /small, 100 bytes from the backend), and
#   - the first 200 on the admin listener's /ready,
# polling both every few milliseconds from one small Python client (a loop of curl processes would
# take CPU from the starting JVM). It also reads the JVM's own uptime at that first routed 200
# (from the JVM's sun.rt.createVmBeginTime counter). Prints one row per launch, the medians and a
# verdict; exit status 0 if the median time to the first routed 200 is within the limit.
#
#   bench/startup.sh                       # 5 launches, both cores
#   bench/startup.sh --runs 11 --pinned    # the JVM alone on core 1 (as if it had one CPU)
#   bench/startup.sh --jar /path/to/switchboard.jar
#   bench/startup.sh --cds                 # with an application class-data archive (see --help)
#
# Ports (127.0.0.1): backend 18301, router 18380, admin 18381. Everything it starts it stops by PID.
set -Eeuo pipefail

NAME=startup
# shellcheck source=lib/switchboard.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/switchboard.sh"
BACKEND_PORTS=(18301)
PROXY_PORT=18380
ADMIN_PORT=18381
RUNS=5
POLL_MS=5
TIMEOUT=30          # seconds a launch may take to route its first request before it counts as failed
LIMIT_MS=1500       # issue #8: startup to first routed request
PINNED=0
CDS=0

usage() {
  cat <<EOF
Usage: bench/startup.sh [options]
  --runs N         launches (default $RUNS)
  --jar FILE       the Switchboard jar (default router/target/switchboard.jar, built if missing)
  --pinned         the JVM alone on core 1, the backend and the poller on core 0 (default: unpinned)
  --poll-ms N      poll interval in ms (default $POLL_MS)
  --timeout S      seconds a launch may take to route a request (default $TIMEOUT)
  --cds            first the training run (java -XX:ArchiveClassesAtExit=... -jar switchboard.jar
                   warmup: every class a serving router loads is archived when it exits), then every
                   measured launch with -XX:SharedArchiveFile=that archive (README: Operations, Startup)
  -h, --help       this help
Environment: SWITCHBOARD_JVM_FLAGS (default "$JVM_FLAGS").
Verdict: median time from launch to the first routed 200 <= $LIMIT_MS ms.
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --jar) JAR="$(realpath -m "$2")"; JAR_GIVEN=1; shift 2 ;;
    --pinned) PINNED=1; shift ;;
    --poll-ms) POLL_MS="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --cds) CDS=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "startup.sh: unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

is_uint "$RUNS" && (( RUNS >= 1 )) || die "--runs: $RUNS (expected: integer >= 1)"
is_uint "$POLL_MS" && (( POLL_MS >= 1 )) || die "--poll-ms: $POLL_MS (expected: integer ms >= 1)"
is_uint "$TIMEOUT" && (( TIMEOUT >= 1 )) || die "--timeout: $TIMEOUT (expected: integer seconds >= 1)"
PIN_LOAD=()
PIN_PROXY=()
if (( PINNED )); then
  (( $(nproc) >= 2 )) || die "--pinned needs 2 cores, nproc=$(nproc)"
  PIN_LOAD=(taskset -c 0)
  PIN_PROXY=(taskset -c 1)
fi
prepare_backends
cat >"$WORK/switchboard.yaml" <<EOF
listen: {address: 127.0.0.1, port: $PROXY_PORT, drain_timeout: 1s}
admin: {enabled: true, address: 127.0.0.1, port: $ADMIN_PORT}
services:
  bench:
    instances: [{address: "127.0.0.1:${BACKEND_PORTS[0]}"}]
routes:
  - {path: /, service: bench}
EOF

# One launch: start the command, poll both URLs from two threads, read the JVM's creation time,
# stop the JVM (TERM, KILL after 10 s), print one JSON line.
cat >"$WORK/launch.py" <<'EOF'
import http.client, json, re, subprocess, sys, threading, time

proxy_port, admin_port, poll_s, timeout_s, log_path = int(sys.argv[1]), int(sys.argv[2]), \
    int(sys.argv[3]) / 1000.0, float(sys.argv[4]), sys.argv[5]
cmd = sys.argv[6:]

def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()
    except (OSError, http.client.HTTPException):
        return None, None
    finally:
        c.close()

class Probe(threading.Thread):
    """Polls one URL until it answers 200 with an accepted body; remembers the first answer of any kind."""
    def __init__(self, port, path, accept):
        super().__init__(daemon=True)
        self.port, self.path, self.accept = port, path, accept
        self.first_any = self.first_ok = None
        self.polls = 0
    def run(self):
        tick = time.monotonic()
        while not stop.is_set():
            status, body = get(self.port, self.path)
            now = time.monotonic()
            self.polls += 1
            if status is not None and self.first_any is None:
                self.first_any = (now - t0, status)
            if status == 200 and self.accept(body):
                self.first_ok = now - t0
                return
            tick = max(tick + poll_s, time.monotonic())
            stop.wait(tick - time.monotonic())

stop = threading.Event()
routed = Probe(proxy_port, "/small", lambda b: len(b) == 100)
ready = Probe(admin_port, "/ready", lambda b: True)
with open(log_path, "ab") as log:
    t0_wall = time.time()
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
routed.start(); ready.start()
deadline = t0 + timeout_s
while (routed.is_alive() or ready.is_alive()) and proc.poll() is None and time.monotonic() < deadline:
    routed.join(0.01); ready.join(0.01)
stop.set()
exited = proc.poll()

uptime_ms = vm_begin_ms = None
if exited is None and routed.first_ok is not None:
    perf = subprocess.run(["jcmd", str(proc.pid), "PerfCounter.print"], capture_output=True, text=True).stdout
    m = re.search(r"^sun\.rt\.createVmBeginTime=(\d+)", perf, re.M)
    if m:
        begin = int(m.group(1))                      # ms since the epoch, when the JVM began creating itself
        uptime_ms = t0_wall * 1000 + routed.first_ok * 1000 - begin
        vm_begin_ms = begin - t0_wall * 1000         # launch (fork/exec, launcher) until then
if exited is None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill(); proc.wait()

ms = lambda s: None if s is None else round(s * 1000, 1)
print(json.dumps({
    "pid": proc.pid,
    "exited_early": exited,
    "routed_ms": ms(routed.first_ok), "ready_ms": ms(ready.first_ok),
    "listen_first_answer_ms": ms(routed.first_any[0]) if routed.first_any else None,
    "listen_first_status": routed.first_any[1] if routed.first_any else None,
    "admin_first_answer_ms": ms(ready.first_any[0]) if ready.first_any else None,
    "admin_first_status": ready.first_any[1] if ready.first_any else None,
    "jvm_uptime_ms": None if uptime_ms is None else round(uptime_ms, 1),
    "vm_begin_ms": None if vm_begin_ms is None else round(vm_begin_ms, 1),
    "polls": routed.polls + ready.polls,
}))
EOF

launch() {  # $1 = label, $2 = output file, rest: extra JVM flags
  local label="$1" out="$2"; shift 2
  for p in "$PROXY_PORT" "$ADMIN_PORT"; do check_port_free "$p" "$label"; done
  # shellcheck disable=SC2086  # JVM_FLAGS is a word list on purpose
  run_waited "${PIN_LOAD[@]}" "$PY" "$WORK/launch.py" "$PROXY_PORT" "$ADMIN_PORT" "$POLL_MS" "$TIMEOUT" \
    "$WORK/switchboard-$label.log" "${PIN_PROXY[@]}" java $JVM_FLAGS "$@" -jar "$JAR" run --config "$WORK/switchboard.yaml" \
    >>"$out" || die "$label: the measuring client failed; see $WORK"
}

EXTRA=()
if (( CDS )); then
  # The README's training run: the warmup command routes requests in-process and exits.
  # shellcheck disable=SC2086  # JVM_FLAGS is a word list on purpose
  java $JVM_FLAGS -Xlog:cds=off -XX:ArchiveClassesAtExit="$WORK/switchboard.jsa" -jar "$JAR" warmup \
    >"$WORK/switchboard-training.log" 2>&1 || die "the warmup training run failed; see $WORK/switchboard-training.log"
  [[ -s "$WORK/switchboard.jsa" ]] || die "the training run wrote no archive; see $WORK/switchboard-training.log"
  log "class-data archive: $(du -h "$WORK/switchboard.jsa" | cut -f1) from switchboard warmup"
  EXTRA=("-XX:SharedArchiveFile=$WORK/switchboard.jsa")
fi
log "$RUNS launch(es) of $JAR; JVM flags: $JVM_FLAGS ${EXTRA[*]}; $( (( PINNED )) && echo "JVM pinned to core 1" || echo unpinned )"
: >"$WORK/runs.jsonl"
for (( i=1; i<=RUNS; i++ )); do
  launch "$i" "$WORK/runs.jsonl" "${EXTRA[@]}"
  log "launch $i: $(tail -n 1 "$WORK/runs.jsonl")"
done

"$PY" - "$WORK/runs.jsonl" "$LIMIT_MS" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
limit = float(sys.argv[2])
f = lambda v: "—" if v is None else f"{v:.0f}"
print("| launch | first routed 200 ms | JVM uptime then ms | /ready 200 ms | first answer on router port ms (status) | launch to JVM creation ms |")
print("|---|---|---|---|---|---|")
for i, r in enumerate(rows, 1):
    first = "—" if r["listen_first_answer_ms"] is None else f"{r['listen_first_answer_ms']:.0f} ({r['listen_first_status']})"
    note = f" — exited with {r['exited_early']}" if r["exited_early"] is not None else ""
    print(f"| {i}{note} | {f(r['routed_ms'])} | {f(r['jvm_uptime_ms'])} | {f(r['ready_ms'])} | {first} | {f(r['vm_begin_ms'])} |")
med = lambda k: statistics.median(v) if (v := [r[k] for r in rows if r[k] is not None]) else None
print(f"| median | {f(med('routed_ms'))} | {f(med('jvm_uptime_ms'))} | {f(med('ready_ms'))} | "
      f"{f(med('listen_first_answer_ms'))} | {f(med('vm_begin_ms'))} |")
failed = sum(1 for r in rows if r["routed_ms"] is None)
m = med("routed_ms")
ok = failed == 0 and m is not None and m <= limit
print(("PASS" if ok else "FAIL") + f"  median launch to first routed 200: {f(m)} ms (limit {limit:.0f} ms); "
      f"{failed} of {len(rows)} launch(es) routed nothing")
sys.exit(0 if ok else 1)
EOF
