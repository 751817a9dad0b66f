# Shell helpers shared by the bench scripts (run.sh, startup.sh, memory.sh); source, don't run.
#
# The caller defines before sourcing:
#   log, die     log "message" to stderr; die logs and exits 1
#   PY, LIB      the python3 interpreter and this directory (descendants() runs procstat.py)
# and uses these globals, which the functions read or fill:
#   STARTED_PIDS every long-running process started (root PIDs), stopped in reverse by cleanup()
#   LOAD_PID     the load job run_waited() is waiting for, if any
#   WORK         scratch directory: removed by cleanup() on success, kept (and named) on failure
#   BACKEND_PORTS, PINNED, PIN_LOAD   for start_backends(), which sets BACKEND_PID
# Install `trap cleanup EXIT` (and INT/TERM traps that exit) after sourcing.

# ---- processes: we stop only what we started, by PID --------------------------------------
proc_alive() {  # alive and not a zombie
  local st
  [[ -r /proc/$1/stat ]] || return 1
  st=$(sed -E 's/^.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ "$st" != Z && "$st" != X ]]
}

descendants() {  # PIDs below $1 (not $1 itself)
  "$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import procstat
print(" ".join(str(p) for p in procstat.process_tree(int(sys.argv[2]))[1:]))' "$LIB" "$1" 2>/dev/null || true
}

any_alive() { local p; for p in "$@"; do proc_alive "$p" && return 0; done; return 1; }

# TERM the process and its descendants (collected first), wait up to 5 s, then KILL what is left.
stop_pid() {
  local pid=$1 kids i k
  proc_alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
  kids=$(descendants "$pid")
  # shellcheck disable=SC2086
  kill -TERM "$pid" $kids 2>/dev/null || true
  # shellcheck disable=SC2086
  for i in $(seq 1 50); do any_alive "$pid" $kids || break; sleep 0.1; done
  for k in "$pid" $kids; do
    if proc_alive "$k"; then
      log "pid $k did not stop on TERM within 5 s; sending KILL"
      kill -KILL "$k" 2>/dev/null || true
    fi
  done
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$LOAD_PID" ]]; then stop_pid "$LOAD_PID"; fi
  local i
  for (( i=${#STARTED_PIDS[@]}-1; i>=0; i-- )); do stop_pid "${STARTED_PIDS[$i]}"; done
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if (( rc != 0 )); then log "logs and configs kept in $WORK"; else rm -rf "$WORK"; fi
  fi
  exit "$rc"
}

# Run a command in the background and wait for it, so INT/TERM traps fire immediately.
run_waited() {
  "$@" &
  LOAD_PID=$!
  local rc=0
  wait "$LOAD_PID" || rc=$?
  LOAD_PID=""
  return "$rc"
}

# ---- tools, ports ------------------------------------------------------------------------
SUDO=()
if (( EUID != 0 )) && command -v sudo >/dev/null; then SUDO=(sudo); fi

ensure_packages() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v haproxy >/dev/null || [[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)
  command -v taskset >/dev/null || missing+=(util-linux)
  if (( ${#missing[@]} )); then
    log "installing ${missing[*]} with apt-get"
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq wrk nginx haproxy >/dev/null
  fi
  export PATH="$PATH:/usr/sbin:/sbin"
}

check_port_free() {
  if [[ -n "$(ss -Htln "( sport = :$1 )" 2>/dev/null)" ]]; then
    die "port $1 is already in use (needed for $2); stop whatever listens there: $(ss -Htlnp "( sport = :$1 )" | sed -n 1p)"
  fi
}

# First successful request through the proxy within a timeout; fails early if the process exits.
wait_http() {  # port path timeout_s pid
  local deadline=$(( SECONDS + $3 ))
  while (( SECONDS < deadline )); do
    if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1$2" 2>/dev/null; then return 0; fi
    proc_alive "$4" || return 1
    sleep 0.2
  done
  return 1
}

# ---- nginx backends: /small (100 B), /large (16 KiB), /headers on every BACKEND_PORTS port --
write_bodies() {
  mkdir -p "$WORK/www"
  # 100 bytes exactly (99 + newline), and 16 KiB exactly.
  printf '%099d\n' 0 | tr 0 s >"$WORK/www/small"
  head -c 16384 /dev/zero | tr '\0' L >"$WORK/www/large"
  chmod -R a+rX "$WORK"
}

nginx_common() {  # $1 = dir, $2 = worker count
  mkdir -p "$1/tmp"
  cat <<EOF
worker_processes $2;
worker_rlimit_nofile 16384;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 8192; }
EOF
}

nginx_http_common() {  # $1 = dir
  cat <<EOF
  access_log off;
  server_tokens off;
  client_body_temp_path $1/tmp/body;
  proxy_temp_path $1/tmp/proxy;
  fastcgi_temp_path $1/tmp/fastcgi;
  uwsgi_temp_path $1/tmp/uwsgi;
  scgi_temp_path $1/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
EOF
}

start_backends() {
  local d="$WORK/backend" p servers=""
  mkdir -p "$d"
  for p in "${BACKEND_PORTS[@]}"; do
    servers+="  server { listen 127.0.0.1:$p; root $WORK/www; default_type text/plain;
    location = /small { }
    location = /large { }
    location = /headers { return 200 \"xff=\$http_x_forwarded_for fwd=\$http_forwarded xfproto=\$http_x_forwarded_proto conn=\$http_connection\\n\"; }
  }
"
  done
  { nginx_common "$d" "$(( PINNED ? 1 : 2 ))"
    echo "http {"; nginx_http_common "$d"; echo "  open_file_cache max=16;"; printf '%s' "$servers"; echo "}"
  } >"$d/nginx.conf"
  nginx -t -q -p "$d" -e "$d/error.log" -c "$d/nginx.conf" || die "backend nginx config invalid: $d/nginx.conf"
  "${PIN_LOAD[@]}" nginx -p "$d" -e "$d/error.log" -c "$d/nginx.conf" -g 'daemon off;' >"$d/stdout.log" 2>&1 &
  BACKEND_PID=$!
  STARTED_PIDS+=("$BACKEND_PID")
  for p in "${BACKEND_PORTS[@]}"; do
    wait_http "$p" /small 10 "$BACKEND_PID" || die "backend on port $p did not answer; see $d/error.log"
  done
}
