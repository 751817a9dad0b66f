# Heap and file-descriptor samples of a running Switchboard, and the rule for "heap flat", shared by
# soak.sh and memory.sh; source, don't run. The caller sets SB_PID (the java process) and ADMIN_PORT
# (its admin listener on 127.0.0.1, which serves /admin/metrics).

# The JVM flags README.md recommends (Operations, Sizing) and every bench script uses unless
# SWITCHBOARD_JVM_FLAGS says otherwise: a heap small enough that the whole process stays under
# 256 MiB resident under load (bench/memory.sh: ~220 MiB peak), pre-touched so it does not grow later.
DEFAULT_JVM_FLAGS="-XX:+UseParallelGC -Xms96m -Xmx96m -XX:+AlwaysPreTouch"

# Flat heap: the last heap-after-GC sample is at most max(PCT %, MIB) above the first one under load.
HEAP_TOLERANCE_PCT=20      # last heap-after-GC may exceed the first by this much ...
HEAP_TOLERANCE_MIB=8       # ... or by this many MiB, whichever is larger

sample_heap_mib() {  # heap used right after a full GC, from the admin metrics
  jcmd "$SB_PID" GC.run >/dev/null 2>&1 || true
  curl -fsS --max-time 5 "http://127.0.0.1:$ADMIN_PORT/admin/metrics" |
    python3 -c 'import json,sys; print("%.1f" % (json.load(sys.stdin)["gauges"]["jvm.memory.heap.used"]["value"] / 1048576))'
}
sample_fds() { ls "/proc/$SB_PID/fd" | wc -l; }
