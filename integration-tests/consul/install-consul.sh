#!/usr/bin/env bash
# Builds a pinned Consul release from the Go module proxy and caches the binary outside the repo.
#
#   integration-tests/consul/install-consul.sh            # build (or reuse) and print the binary path
#   CONSUL_VERSION=1.22.5 integration-tests/consul/...     # another release
#
# The last line of stdout is the absolute path of the binary; everything else goes to stderr.
# Tests find the binary there (ConsulAgentExtension looks in the same cache dir), or set
# CONSUL_BIN=<that path>.
#
# Why not `go install github.com/hashicorp/consul@vX`? Consul's go.mod has `replace` lines
# (./api, ./sdk, ...), which `go install module@version` refuses. We download the module, drop the
# replace lines (the required versions of those sub-modules are published on the proxy) and build.
# Needs: Go >= the version in Consul's go.mod (1.25.x for 1.22.x), network access to the Go module
# proxy. If the checksum database is unreachable, dependency hashes are still checked against
# Consul's own go.sum; only modules absent from it are taken from the proxy unchecked.
set -euo pipefail

CONSUL_VERSION="${CONSUL_VERSION:-1.22.5}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/switchboard/consul"
DEST_DIR="$CACHE_ROOT/$CONSUL_VERSION"
DEST="$DEST_DIR/consul"

log() { echo "install-consul: $*" >&2; }
die() { log "error: $*"; exit 1; }

if [[ -x "$DEST" ]] && "$DEST" version >/dev/null 2>&1; then
    log "reusing cached consul $CONSUL_VERSION"
    echo "$DEST"
    exit 0
fi

command -v go >/dev/null 2>&1 || die "go not found on PATH (expected: Go >= 1.25 to build Consul $CONSUL_VERSION)"
log "building consul $CONSUL_VERSION with $(go version) (takes several minutes on 2 cores)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/consul-build.XXXXXX")"
cleanup() { chmod -R u+w "$WORK" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

export GOTOOLCHAIN=local          # never download a toolchain; use the machine's Go
export GOFLAGS="-mod=mod -buildvcs=false"
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/hashicorp/consul"
if [[ -z "${GOSUMDB:-}" ]] && command -v curl >/dev/null 2>&1 \
        && ! curl -fsS -m 5 -o /dev/null https://sum.golang.org/latest 2>/dev/null; then
    log "sum.golang.org unreachable: GOSUMDB=off (hashes in Consul's go.sum are still verified)"
    export GOSUMDB=off
fi

# 1. Download the Consul module into the module cache and copy it somewhere writable.
cd "$WORK"
go mod init switchboard.local/consul-download >/dev/null 2>&1
MOD_DIR="$(go mod download -json "github.com/hashicorp/consul@v$CONSUL_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p')"
[[ -n "$MOD_DIR" && -d "$MOD_DIR" ]] || die "go mod download github.com/hashicorp/consul@v$CONSUL_VERSION gave no module dir"
cp -R "$MOD_DIR" "$WORK/src"
chmod -R u+w "$WORK/src"
cd "$WORK/src"

# 2. Drop every replace directive (they point at sub-directories that are separate modules).
for old in $(go mod edit -json | sed -n '/"Replace"/,/^\t\]/{/"Old"/{n;s/^[[:space:]]*"Path":[[:space:]]*"\([^"]*\)".*/\1/p;}}' | sort -u); do
    log "dropping replace $old"
    go mod edit -dropreplace="$old"
done
if [[ "$(go mod edit -json)" != *'"Replace": null'* ]]; then
    die "replace directives remain in Consul's go.mod after dropping them"
fi

# 3. Build. -trimpath keeps the build reproducible; the version metadata is what `consul version` shows.
mkdir -p "$DEST_DIR"
TMP_BIN="$DEST_DIR/consul.partial.$$"
nice -n 10 go build -trimpath \
    -ldflags "-s -w -X github.com/hashicorp/consul/version.GitCommit=v$CONSUL_VERSION" \
    -o "$TMP_BIN" . || { rm -f "$TMP_BIN"; die "go build of consul $CONSUL_VERSION failed"; }
"$TMP_BIN" version >/dev/null || { rm -f "$TMP_BIN"; die "the built binary does not run"; }
mv -f "$TMP_BIN" "$DEST"
log "built $("$DEST" version | sed -n 1p)"
echo "$DEST"
