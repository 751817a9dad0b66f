"""Parse the text output of `wrk --latency` (wrk 4.x)."""

import re

_UNIT_TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}

_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
_TOTAL = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)", re.M)
_PCT = re.compile(r"^\s*(50|75|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.M)
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


class WrkParseError(ValueError):
    pass


def to_ms(value, unit):
    return float(value) * _UNIT_TO_MS[unit]


def parse(text):
    """Return a dict: rps, requests, duration_s, p50_ms, p99_ms, socket_errors, non2xx.

    Raises WrkParseError when the output holds no result (e.g. wrk could not connect at all).
    """
    m = _RPS.search(text)
    t = _TOTAL.search(text)
    if not m or not t:
        raise WrkParseError("wrk output has no 'Requests/sec' or 'N requests in' line:\n" + text)
    pct = {p: to_ms(v, u) for p, v, u in _PCT.findall(text)}
    if "50" not in pct or "99" not in pct:
        raise WrkParseError("wrk output has no latency distribution (was --latency given?):\n" + text)
    s = _SOCKET.search(text)
    socket_errors = sum(int(x) for x in s.groups()) if s else 0
    n = _NON2XX.search(text)
    non2xx = int(n.group(1)) if n else 0
    return {
        "rps": float(m.group(1)),
        "requests": int(t.group(1)),
        "duration_s": to_ms(t.group(2), t.group(3)) / 1000.0,
        "p50_ms": pct["50"],
        "p99_ms": pct["99"],
        "socket_errors": socket_errors,
        "non2xx": non2xx,
    }
