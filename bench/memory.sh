#!/usr/bin/env bash
# Memory under load (issue #8: "resident set under load <= 256 MiB with the default JVM flags the
# README recommends; heap flat across a 10-minute run"). Runs Switchboard from a jar under full wrk
# load, set up as bench/run.sh does (Switchboard alone on core 1; wrk and three nginx backends on
# core 0; 256 connections), in back-to-back 30 s segments whose body alternates between 16 KiB and
# 100 B. After every segment it records the resident set (VmRSS, its peak VmHWM, RssAnon) from
# /proc/<pid>/status, the heap used after a full GC (as soak.sh does), open FDs, and the segment's
# req/s, errors and CPU per request. Prints the table and a verdict; exit status 0 on PASS.
#
#   bench/memory.sh                      # 10 minutes
#   bench/memory.sh --minutes 1          # a short run
#   bench/memory.sh --body small --nmt   # 100 B only; print the JVM's native memory summary at the end
#
# Ports (127.0.0.1): backends 18401-18403, router 18480, admin 18481. Everything it starts it stops by PID.
set -Eeuo pipefail

NAME=memory
# shellcheck source=lib/switchboard.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/switchboard.sh"
BACKEND_PORTS=(18401 18402 18403)
PROXY_PORT=18480
ADMIN_PORT=18481
MINUTES=10
CONNS=256
BODY=alternate
SAMPLE_SECONDS=30
RSS_LIMIT_MIB=256   # issue #8
NMT=0
FORCE_GC=1

usage() {
  cat <<EOF
Usage: bench/memory.sh [options]
  --minutes N      length in minutes (default $MINUTES; 1..600), in ${SAMPLE_SECONDS} s segments
  --body B         large (16 KiB), small (100 B) or alternate per segment, large first (default $BODY)
  --conns N        wrk connections (default $CONNS)
  --jar FILE       the Switchboard jar (default router/target/switchboard.jar, built if missing)
  --nmt            add -XX:NativeMemoryTracking=summary and print jcmd VM.native_memory at the end
  --no-gc          no forced full GC per sample (heap after GC not measured): the resident set as
                   the JVM's own GC leaves it; the forced GCs keep the old generation compacted
  -h, --help       this help
Environment: SWITCHBOARD_JVM_FLAGS (default "$JVM_FLAGS").
Verdict: peak resident set (VmHWM) <= $RSS_LIMIT_MIB MiB; heap after GC flat (the soak.sh rule:
last <= first under load + max(20 %, 8 MiB)); zero errors (socket errors + non-2xx) in every segment.
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --body) BODY="$2"; shift 2 ;;
    --conns) CONNS="$2"; shift 2 ;;
    --jar) JAR="$(realpath -m "$2")"; JAR_GIVEN=1; shift 2 ;;
    --nmt) NMT=1; shift ;;
    --no-gc) FORCE_GC=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "memory.sh: unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

is_uint "$MINUTES" && (( MINUTES >= 1 && MINUTES <= 600 )) || die "--minutes: $MINUTES (expected: 1..600)"
is_uint "$CONNS" && (( CONNS >= 1 )) || die "--conns: $CONNS (expected: integer >= 1)"
[[ "$BODY" == large || "$BODY" == small || "$BODY" == alternate ]] || die "--body: $BODY (expected: large, small or alternate)"
(( $(nproc) >= 2 )) || die "pinning needs 2 cores, nproc=$(nproc)"
PINNED=1
PIN_LOAD=(taskset -c 0)    # wrk, backends, measuring helper
PIN_PROXY=(taskset -c 1)   # Switchboard, alone
(( NMT )) && JVM_FLAGS+=" -XX:NativeMemoryTracking=summary"
prepare_backends
# As bench/switchboard.yaml (what run.sh measures), plus the admin listener the README's default has on.
write_config "$PROXY_PORT" "$ADMIN_PORT" >"$WORK/switchboard.yaml"
# shellcheck disable=SC2086  # JVM_FLAGS is a word list on purpose
"${PIN_PROXY[@]}" java $JVM_FLAGS -jar "$JAR" run --config "$WORK/switchboard.yaml" >"$WORK/switchboard.log" 2>&1 &
SB_PID=$!
STARTED_PIDS+=("$SB_PID")
wait_http "$PROXY_PORT" /small 60 "$SB_PID" || die "switchboard did not serve; see $WORK/switchboard.log"
wait_http "$ADMIN_PORT" /ready 30 "$SB_PID" || die "admin listener not ready; see $WORK/switchboard.log"

# VmHWM, VmRSS, RssAnon in MiB, in that order (the order of /proc/<pid>/status).
sample_rss_mib() { awk '/^(VmHWM|VmRSS|RssAnon):/ {printf "%.1f ", $2 / 1024}' "/proc/$SB_PID/status"; }
sample_heap() { if (( FORCE_GC )); then sample_heap_mib; else echo -; fi; }

SEGMENTS=$(( (MINUTES * 60 + SAMPLE_SECONDS - 1) / SAMPLE_SECONDS ))
log "switchboard pid $SB_PID, JVM flags: $JVM_FLAGS"
log "$SEGMENTS segments of ${SAMPLE_SECONDS}s, wrk -c $CONNS, body $BODY; switchboard on core 1, wrk and backends on core 0"
# samples: t body hwm rss anon heap_after_gc fds  (segment 0: idle, after startup)
echo "0 - $(sample_rss_mib)$(sample_heap) $(sample_fds)" >"$WORK/samples"
for (( s=1; s<=SEGMENTS; s++ )); do
  body=$BODY
  [[ "$BODY" == alternate ]] && body=$( (( s % 2 )) && echo large || echo small )
  rc=0
  run_waited "${PIN_LOAD[@]}" "$PY" "$LIB/measure.py" --csv "$WORK/segments.csv" --wrk-log "$WORK/wrk.log" \
    --round "$s" --proxy switchboard --body "$body" --conns "$CONNS" \
    --proxy-pid "$SB_PID" --backend-pid "$BACKEND_PID" --proxy-core 1 \
    -- wrk -t1 -c"$CONNS" -d"${SAMPLE_SECONDS}s" --latency "http://127.0.0.1:$PROXY_PORT/$body" >/dev/null || rc=$?
  (( rc == 3 )) && die "switchboard exited during segment $s; see $WORK/switchboard.log"
  echo "$(( s * SAMPLE_SECONDS )) $body $(sample_rss_mib)$(sample_heap) $(sample_fds)" >>"$WORK/samples"
  tail -n 1 "$WORK/samples" | awk '{printf "[memory] t=%ss %s: VmHWM %s MiB, VmRSS %s MiB, heap after GC %s MiB, fds %s\n", $1, $2, $3, $4, $6, $7}' >&2
done
if (( NMT )); then
  echo "### jcmd $SB_PID VM.native_memory summary scale=MB"
  jcmd "$SB_PID" VM.native_memory summary scale=MB | grep -E '^(Total|-)' || true
  echo
fi

"$PY" - "$WORK/samples" "$WORK/segments.csv" "$RSS_LIMIT_MIB" "$HEAP_TOLERANCE_PCT" "$HEAP_TOLERANCE_MIB" "$JVM_FLAGS" <<'EOF'
import csv, sys
samples_path, csv_path, rss_limit, heap_pct, heap_mib, flags = sys.argv[1:7]
rss_limit, heap_pct, heap_mib = float(rss_limit), float(heap_pct), float(heap_mib)
samples = [l.split() for l in open(samples_path) if l.strip()]
segs = {int(r["round"]): r for r in csv.DictReader(open(csv_path))}
print(f"JVM flags: {flags}")
print("| t s | body | req/s | errors | CPU µs/req | steal % | foreign % | VmHWM MiB | VmRSS MiB | RssAnon MiB | heap after GC MiB | fds |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
errors, requests, failed = 0, 0, []
for i, (t, body, hwm, rss, anon, heap, fds) in enumerate(samples):
    seg = segs.get(i, {})
    if i > 0 and seg.get("status") != "ok":
        failed.append(i)
    errors += int(seg.get("errors") or 0)
    requests += int(seg.get("requests") or 0)
    cell = lambda k: seg.get(k) or "—"
    print(f"| {t} | {body} | {cell('rps')} | {cell('errors')} | {cell('cpu_us_per_req')} | {cell('steal_pct')} "
          f"| {cell('proxy_core_foreign_pct')} | {hwm} | {rss} | {anon} | {heap} | {fds} |")
load = samples[1:]
peak = max(float(r[2]) for r in samples)
checks = [(f"peak resident set (VmHWM) {peak:.1f} MiB (limit {rss_limit:.0f} MiB)", peak <= rss_limit)]
if load[0][5] == "-":
    checks.append(("heap after GC not sampled (--no-gc)", None))
else:
    base_heap, last_heap = float(load[0][5]), float(load[-1][5])
    heap_limit = base_heap + max(base_heap * heap_pct / 100, heap_mib)
    checks.append((f"heap after GC {base_heap:.1f} -> {last_heap:.1f} MiB (limit {heap_limit:.1f} = first under "
                   f"load + max({heap_pct:.0f} %, {heap_mib:.0f} MiB))", last_heap <= heap_limit))
checks += [
    (f"errors: {errors} in {requests} requests" + (f"; wrk failed in segment(s) {failed}" if failed else ""),
     errors == 0 and not failed),
]
for text, ok in checks:
    print({True: "PASS  ", False: "FAIL  ", None: "SKIP  "}[ok] + text)
ok = all(ok is not False for _, ok in checks)
print("VERDICT: " + ("PASS" if ok else "FAIL"))
sys.exit(0 if ok else 1)
EOF
