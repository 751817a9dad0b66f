#!/usr/bin/env python3
"""Aggregate the per-run CSV of one benchmark into a markdown table (medians across rounds).

Usage:
  report.py --csv FILE --header FILE --proxies a,b --bodies small,large --conns 64,256 \
            [--start-status FILE] [--steal-limit 10] [--baseline nginx]

--start-status holds lines 'proxy<TAB>message' for proxies that never ran (e.g. failed to start).
For each (round, proxy, body, conns) only the last attempt counts (a high-steal run is repeated once).
"vs nginx" is the median over rounds of (proxy req/s / nginx req/s in the same round, body, conns).
"""

import argparse
import csv
import statistics
import sys


def fmt(x, digits):
    return "—" if x is None else f"{x:.{digits}f}"


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fnum(s):
    return float(s) if s not in ("", None) else None


def load_runs(path):
    """{(proxy, body, conns): {round: row}} keeping the highest attempt per round."""
    runs = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            key = (row["proxy"], row["body"], row["conns"])
            rnd = int(row["round"])
            prev = runs.setdefault(key, {}).get(rnd)
            if prev is None or int(row["attempt"]) > int(prev["attempt"]):
                runs[key][rnd] = row
    return runs


def build_table(runs, proxies, bodies, conns, start_status, steal_limit, baseline):
    head = ("| proxy | body | conns | req/s (median) | vs " + baseline + " | spread | p50 ms | p99 ms "
            "| errors | CPU µs/req | steal % | foreign % | accepts/1k req | notes |")
    lines = [head, "|" + "---|" * 14]
    for body in bodies:
        for c in conns:
            base = runs.get((baseline, body, c), {})
            for proxy in proxies:
                if proxy in start_status:
                    lines.append(f"| {proxy} | {body} | {c} | — | — | — | — | — | — | — | — | — | — "
                                 f"| {start_status[proxy]} |")
                    continue
                by_round = runs.get((proxy, body, c), {})
                ok = {r: row for r, row in by_round.items() if row["status"] == "ok"}
                notes = []
                failed = sorted(r for r, row in by_round.items() if row["status"] != "ok")
                if failed:
                    kinds = sorted({by_round[r]["status"] for r in failed})
                    notes.append(f"{'/'.join(kinds)} in round(s) {','.join(map(str, failed))}")
                if not ok:
                    lines.append(f"| {proxy} | {body} | {c} | — | — | — | — | — | — | — | — | — | — "
                                 f"| {'; '.join(notes) or 'no runs (the proxy died earlier)'} |")
                    continue
                rps = [fnum(r["rps"]) for r in ok.values()]
                ratios = []
                for rnd, row in ok.items():
                    b = base.get(rnd)
                    if b is not None and b["status"] == "ok" and fnum(b["rps"]):
                        ratios.append(fnum(row["rps"]) / fnum(b["rps"]))
                med = statistics.median(rps)
                spread = 100.0 * (max(rps) - min(rps)) / med if med else None
                errors = sum(int(r["errors"] or 0) for r in ok.values())
                steals = [fnum(r["steal_pct"]) for r in ok.values()]
                high = sum(1 for s in steals if s is not None and s > steal_limit)
                if high:
                    notes.append(f"steal > {steal_limit:g}% in {high} run(s) after repeat")
                notes.append(f"{len(ok)} run(s)")
                lines.append("| " + " | ".join([
                    proxy, body, c,
                    f"{med:,.0f}",
                    fmt(median_or_none(ratios), 2),
                    f"±{spread / 2:.0f}%" if spread is not None and len(rps) > 1 else "—",
                    fmt(median_or_none(fnum(r["p50_ms"]) for r in ok.values()), 2),
                    fmt(median_or_none(fnum(r["p99_ms"]) for r in ok.values()), 2),
                    str(errors),
                    fmt(median_or_none(fnum(r["cpu_us_per_req"]) for r in ok.values()), 1),
                    fmt(median_or_none(steals), 1),
                    fmt(median_or_none(fnum(r.get("proxy_core_foreign_pct")) for r in ok.values()), 0),
                    fmt(median_or_none(fnum(r.get("accepts_per_kreq")) for r in ok.values()), 1),
                    "; ".join(notes),
                ]) + " |")
    return lines


def paired_ratios(runs, subject, peer, body, conns, field):
    """subject/peer of one field, per round where both ran ok: the pairing cancels the box's drift."""
    mine = runs.get((subject, body, conns), {})
    theirs = runs.get((peer, body, conns), {})
    ratios = []
    for rnd, row in sorted(mine.items()):
        other = theirs.get(rnd)
        if row["status"] != "ok" or other is None or other["status"] != "ok":
            continue
        x, y = fnum(row.get(field)), fnum(other.get(field))
        if x is not None and y:
            ratios.append(x / y)
    return ratios


def fmt_ratios(ratios):
    """'median (min–max)' over rounds, or the one value, or a dash."""
    if not ratios:
        return "—"
    if len(ratios) == 1:
        return f"{ratios[0]:.2f}"
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"


def build_goals(runs, bodies, conns, subject="switchboard", peers=("nginx", "haproxy", "fabio")):
    """The subject's ratios to each peer, per round then summarised: CPU per request, p99, req/s."""
    present = [p for p in peers if any(k[0] == p for k in runs)]
    head = ["body", "conns"]
    head += [f"CPU/req vs {p}" for p in present if p != "fabio"]
    head += ["p99 vs nginx"] if "nginx" in present else []
    head += [f"req/s vs {p}" for p in present]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for body in bodies:
        for c in conns:
            cells = [body, c]
            cells += [fmt_ratios(paired_ratios(runs, subject, p, body, c, "cpu_us_per_req"))
                      for p in present if p != "fabio"]
            if "nginx" in present:
                cells.append(fmt_ratios(paired_ratios(runs, subject, "nginx", body, c, "p99_ms")))
            cells += [fmt_ratios(paired_ratios(runs, subject, p, body, c, "rps")) for p in present]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--header", required=True)
    ap.add_argument("--proxies", required=True)
    ap.add_argument("--bodies", required=True)
    ap.add_argument("--conns", required=True)
    ap.add_argument("--start-status")
    ap.add_argument("--steal-limit", type=float, default=10.0)
    ap.add_argument("--baseline", default="nginx")
    a = ap.parse_args()

    start_status = {}
    if a.start_status:
        with open(a.start_status) as f:
            for line in f:
                if "\t" in line:
                    p, msg = line.rstrip("\n").split("\t", 1)
                    start_status[p] = msg
    try:
        runs = load_runs(a.csv)
    except FileNotFoundError:
        runs = {}
    with open(a.header) as f:
        sys.stdout.write(f.read().rstrip("\n") + "\n\n")
    table = build_table(runs, a.proxies.split(","), a.bodies.split(","), a.conns.split(","),
                        start_status, a.steal_limit, a.baseline)
    print("\n".join(table))
    print()
    print(f"req/s, p50, p99, CPU µs/req and steal are medians over rounds; spread is ±half the "
          f"(max − min) req/s range relative to the median; errors are summed over rounds "
          f"(socket errors + non-2xx/3xx). CPU µs/req is the proxy's utime+stime (all its "
          f"processes) per completed request; 'direct' has no proxy. foreign % is the share of the "
          f"proxy's core used by processes other than the proxy during the run (pinned runs only): "
          f"anything well above 0 means other work competed with the proxy. accepts/1k req counts TCP "
          f"connections accepted on this machine per 1,000 requests (wrk's own plus the proxy's "
          f"upstream connections): with working upstream keep-alive it stays near conns×1000/requests.")
    print()
    proxies = a.proxies.split(",")
    if "switchboard" in proxies and len(proxies) > 1 and runs:
        print("Switchboard against each peer, as the ratio of the two in the same round (median over "
              "rounds, with the lowest and highest round in brackets); below 1 is less CPU, a lower "
              "p99, fewer requests per second:")
        print()
        print("\n".join(build_goals(runs, a.bodies.split(","), a.conns.split(","),
                                    peers=[p for p in proxies if p not in ("switchboard", "direct")])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
