"""CPU accounting from /proc: per-process-tree utime+stime and machine-wide steal.

A proxy is identified by the PID the harness started (nginx master, haproxy, fabio, java).
Its CPU is the sum of utime+stime over that PID and all its live descendants (nginx workers).
Threads are already included: /proc/<pid>/stat of a thread-group leader sums all its threads.
"""

import os


def _read_stat(pid):
    """Return (ppid, utime ticks, stime ticks) for pid, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "r") as f:
            data = f.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # comm (field 2) may contain spaces and parentheses: split after the last ')'.
    rest = data[data.rindex(")") + 2:].split()
    # rest[0] is field 3 (state); field N is rest[N - 3].
    return int(rest[4 - 3]), int(rest[14 - 3]), int(rest[15 - 3])


def process_tree(root_pid):
    """PIDs of root_pid and all its live descendants (root first)."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        st = _read_stat(int(name))
        if st is not None:
            children.setdefault(st[0], []).append(int(name))
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def tree_cpu_split(root_pid):
    """(utime, stime) ticks summed over root_pid's process tree; None if root_pid is gone."""
    if _read_stat(root_pid) is None:
        return None
    user = system = 0
    for pid in process_tree(root_pid):
        st = _read_stat(pid)
        if st is not None:
            user += st[1]
            system += st[2]
    return user, system


def tree_cpu_ticks(root_pid):
    """Sum of utime+stime ticks over root_pid's process tree; None if root_pid is gone."""
    split = tree_cpu_split(root_pid)
    return None if split is None else split[0] + split[1]


def cpu_times(path="/proc/stat"):
    """(steal ticks, total ticks) from the aggregate 'cpu' line of /proc/stat.

    Total is user+nice+system+idle+iowait+irq+softirq+steal (guest time is already
    counted inside user/nice, so it is not added again).
    """
    with open(path, "r") as f:
        for line in f:
            if line.startswith("cpu "):
                v = [int(x) for x in line.split()[1:]]
                v += [0] * (8 - len(v))
                return v[7], sum(v[:8])
    raise ValueError(f"{path}: no aggregate 'cpu' line")


def core_times(core, path="/proc/stat"):
    """(busy ticks, total ticks) of one core from its 'cpuN' line; busy excludes idle, iowait, steal."""
    prefix = f"cpu{core} "
    with open(path, "r") as f:
        for line in f:
            if line.startswith(prefix):
                v = [int(x) for x in line.split()[1:]]
                v += [0] * (8 - len(v))
                return v[0] + v[1] + v[2] + v[5] + v[6], sum(v[:8])
    raise ValueError(f"{path}: no '{prefix.strip()}' line")


def foreign_percent(before, after, own_ticks):
    """% of one core's time used by processes other than ours, between two core_times() samples."""
    d_total = after[1] - before[1]
    if d_total <= 0:
        return 0.0
    return max(0.0, 100.0 * (after[0] - before[0] - own_ticks) / d_total)


def steal_percent(before, after):
    """Steal as % of all CPU time between two cpu_times() samples."""
    d_total = after[1] - before[1]
    if d_total <= 0:
        return 0.0
    return 100.0 * (after[0] - before[0]) / d_total


def clock_ticks():
    return os.sysconf("SC_CLK_TCK")


def tcp_passive_opens(path="/proc/net/snmp"):
    """TCP connections accepted so far in this network namespace (Tcp: PassiveOpens)."""
    with open(path, "r") as f:
        rows = [line.split() for line in f if line.startswith("Tcp:")]
    names, values = rows[0], rows[1]
    return int(values[names.index("PassiveOpens")])
