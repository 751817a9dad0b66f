#!/usr/bin/env python3
"""Run one wrk load and append one CSV row: throughput, latency, errors, proxy CPU per request, steal.

Usage:
  measure.py --csv FILE --round R --proxy NAME --body B --conns C --attempt A \
             [--proxy-pid PID] [--backend-pid PID] [--wrk-log FILE] -- wrk ARGS...

CPU is sampled immediately before wrk starts and after it exits, so the figure covers
connection setup and teardown too. The last line on stdout is the steal % of the run
(or 'FAILED <reason>'), for the caller's repeat-on-steal decision.
Exit status: 0 ok, 2 wrk failed or produced no result, 3 the proxy died during the run.
"""

import argparse
import csv
import datetime
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procstat  # noqa: E402
import wrkparse  # noqa: E402

FIELDS = [
    "utc_time", "round", "proxy", "body", "conns", "attempt", "status",
    "rps", "requests", "duration_s", "p50_ms", "p99_ms",
    "socket_errors", "non2xx", "errors",
    "proxy_cpu_ticks", "cpu_us_per_req", "backend_cpu_us_per_req", "steal_pct", "proxy_core_foreign_pct",
    "accepts_per_kreq",
]


def append_rows(path, fields, rows):
    """Append rows to a CSV file, writing the header first if the file is new or empty."""
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        if new:
            w.writeheader()
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--round", required=True)
    ap.add_argument("--proxy", required=True)
    ap.add_argument("--body", required=True)
    ap.add_argument("--conns", required=True)
    ap.add_argument("--attempt", default="1")
    ap.add_argument("--proxy-pid", type=int, default=0)
    ap.add_argument("--backend-pid", type=int, default=0)
    ap.add_argument("--proxy-core", type=int, default=-1,
                    help="core the proxy is pinned to; measures CPU used there by other processes")
    ap.add_argument("--wrk-log")
    ap.add_argument("wrk", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.wrk[1:] if a.wrk and a.wrk[0] == "--" else a.wrk
    if not cmd:
        ap.error("no wrk command after --")

    child = None

    def on_signal(signum, _frame):
        if child is not None and child.poll() is None:
            child.terminate()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    tick_us = 1e6 / procstat.clock_ticks()
    opens0 = procstat.tcp_passive_opens()
    cpu0 = procstat.cpu_times()
    core0 = procstat.core_times(a.proxy_core) if a.proxy_core >= 0 else None
    p0 = procstat.tree_cpu_ticks(a.proxy_pid) if a.proxy_pid else None
    b0 = procstat.tree_cpu_ticks(a.backend_pid) if a.backend_pid else None
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out, _ = child.communicate()
    p1 = procstat.tree_cpu_ticks(a.proxy_pid) if a.proxy_pid else None
    b1 = procstat.tree_cpu_ticks(a.backend_pid) if a.backend_pid else None
    cpu1 = procstat.cpu_times()
    opens1 = procstat.tcp_passive_opens()
    core1 = procstat.core_times(a.proxy_core) if a.proxy_core >= 0 else None
    steal = procstat.steal_percent(cpu0, cpu1)

    if a.wrk_log:
        with open(a.wrk_log, "a") as f:
            f.write(f"### round={a.round} proxy={a.proxy} body={a.body} conns={a.conns} "
                    f"attempt={a.attempt}\n$ {' '.join(cmd)}\n{out}\n")

    row = {k: "" for k in FIELDS}
    row.update(utc_time=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
               round=a.round, proxy=a.proxy, body=a.body, conns=a.conns, attempt=a.attempt,
               steal_pct=f"{steal:.2f}")
    if core0 is not None:
        own = (p1 - p0) if (p0 is not None and p1 is not None) else 0
        row["proxy_core_foreign_pct"] = f"{procstat.foreign_percent(core0, core1, own):.1f}"
    status, code = "ok", 0
    try:
        r = wrkparse.parse(out)
    except wrkparse.WrkParseError:
        r = None
        status, code = "wrk_failed", 2
    if a.proxy_pid and p1 is None:
        status, code = "proxy_died", 3
    row["status"] = status
    if r is not None:
        errors = r["socket_errors"] + r["non2xx"]
        row.update(rps=f"{r['rps']:.1f}", requests=r["requests"], duration_s=f"{r['duration_s']:.2f}",
                   p50_ms=f"{r['p50_ms']:.3f}", p99_ms=f"{r['p99_ms']:.3f}",
                   socket_errors=r["socket_errors"], non2xx=r["non2xx"], errors=errors)
        if r["requests"] > 0:
            # wrk's own connections (conns) plus every upstream connection the proxy opened.
            row["accepts_per_kreq"] = f"{1000.0 * (opens1 - opens0) / r['requests']:.2f}"
        if p0 is not None and p1 is not None and r["requests"] > 0:
            row["proxy_cpu_ticks"] = p1 - p0
            row["cpu_us_per_req"] = f"{(p1 - p0) * tick_us / r['requests']:.2f}"
        if b0 is not None and b1 is not None and r["requests"] > 0:
            row["backend_cpu_us_per_req"] = f"{(b1 - b0) * tick_us / r['requests']:.2f}"

    append_rows(a.csv, FIELDS, [row])

    summary = (f"{a.proxy:>11} {a.body:>5} c={a.conns:<4} round {a.round} try {a.attempt}: "
               f"{status} rps={row['rps'] or '-'} p50={row['p50_ms'] or '-'}ms "
               f"p99={row['p99_ms'] or '-'}ms err={row['errors'] if r else '-'} "
               f"cpu={row['cpu_us_per_req'] or '-'}us/req steal={steal:.1f}% "
               f"foreign={row['proxy_core_foreign_pct'] or '-'}%")
    print(summary, file=sys.stderr)
    print(f"{steal:.2f}" if code == 0 else f"FAILED {status}")
    return code


if __name__ == "__main__":
    sys.exit(main())
