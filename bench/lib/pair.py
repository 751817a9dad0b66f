#!/usr/bin/env python3
"""One paired round: two wrk loads at the same time, one per proxy; one CSV row per proxy.

Usage:
  pair.py --csv FILE --round R --pid-a PID --pid-b PID -- WRK_A_ARGS... -- WRK_B_ARGS...

Both loads start together and the CPU of both proxies (user and system ticks from /proc, each
over its process tree) is sampled before they start and after both have exited, so whatever else
happens on the machine during the round happens to both. Exit status: 0 ok, 2 a wrk failed,
3 a proxy died.
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procstat  # noqa: E402
import wrkparse  # noqa: E402
from measure import append_rows  # noqa: E402

FIELDS = ["round", "proxy", "requests", "rps", "p50_ms", "p99_ms", "errors",
          "user_us_per_req", "system_us_per_req", "cpu_us_per_req"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--round", required=True)
    ap.add_argument("--pid-a", type=int, required=True)
    ap.add_argument("--pid-b", type=int, required=True)
    ap.add_argument("wrk", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    rest = a.wrk[1:] if a.wrk and a.wrk[0] == "--" else a.wrk
    if "--" not in rest:
        ap.error("expected: -- WRK_A... -- WRK_B...")
    split = rest.index("--")
    cmds = {"a": rest[:split], "b": rest[split + 1:]}
    pids = {"a": a.pid_a, "b": a.pid_b}

    tick_us = 1e6 / procstat.clock_ticks()
    before = {k: procstat.tree_cpu_split(p) for k, p in pids.items()}
    children = {k: subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for k, c in cmds.items()}
    outs = {k: ch.communicate()[0] for k, ch in children.items()}
    after = {k: procstat.tree_cpu_split(p) for k, p in pids.items()}

    code = 0
    rows = []
    for k in ("a", "b"):
        if before[k] is None or after[k] is None:
            print(f"proxy {k} (pid {pids[k]}) is gone", file=sys.stderr)
            return 3
        try:
            r = wrkparse.parse(outs[k])
        except wrkparse.WrkParseError:
            print(f"wrk for {k} failed:\n{outs[k]}", file=sys.stderr)
            code = 2
            continue
        n = max(1, r["requests"])
        user = (after[k][0] - before[k][0]) * tick_us / n
        system = (after[k][1] - before[k][1]) * tick_us / n
        rows.append({"round": a.round, "proxy": k, "requests": r["requests"], "rps": f"{r['rps']:.1f}",
                     "p50_ms": f"{r['p50_ms']:.3f}", "p99_ms": f"{r['p99_ms']:.3f}",
                     "errors": r["socket_errors"] + r["non2xx"], "user_us_per_req": f"{user:.2f}",
                     "system_us_per_req": f"{system:.2f}", "cpu_us_per_req": f"{user + system:.2f}"})
    append_rows(a.csv, FIELDS, rows)
    for row in rows:
        print(f"round {row['round']} {row['proxy']}: {row['rps']} req/s, p99 {row['p99_ms']} ms, "
              f"cpu {row['cpu_us_per_req']} us/req (user {row['user_us_per_req']}, "
              f"system {row['system_us_per_req']}), errors {row['errors']}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
