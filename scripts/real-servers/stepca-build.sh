#!/bin/sh
# Builds step-ca 0.19.0 from Debian's Go sources (GOPATH mode, offline) into
# <repo>/.real-servers/step-ca/bin/step-ca. Run scripts/real-servers/stepca-install.sh first.
# Idempotent: an existing binary that runs is kept (pass --force to rebuild).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT_DIR="$ROOT/.real-servers/step-ca"
BIN="$OUT_DIR/bin/step-ca"
if [ "${1:-}" != "--force" ] && [ -x "$BIN" ] && "$BIN" version >/dev/null 2>&1; then
  echo "step-ca already built: $BIN ($("$BIN" version))"; exit 0
fi
command -v go >/dev/null 2>&1 || { echo "go not found: run scripts/real-servers/stepca-install.sh" >&2; exit 1; }
[ -d /usr/share/gocode/src/github.com/smallstep/certificates/commands ] || {
  echo "step-ca sources not found: run scripts/real-servers/stepca-install.sh" >&2; exit 1; }
# A private GOPATH whose only package is our main; everything else resolves from Debian's
# /usr/share/gocode. The go build cache stays under .real-servers so rebuilds are fast.
W="$OUT_DIR/gopath"
mkdir -p "$W/src/stepcamin" "$OUT_DIR/bin"
cp "$HERE/stepca-main.go" "$W/src/stepcamin/main.go"
export GO111MODULE=off GOPATH="$W:/usr/share/gocode" GOCACHE="$OUT_DIR/gocache" GOFLAGS=-buildvcs=false
# CGO_ENABLED=0: static binary, needs no C toolchain (badger's optional zstd cgo path is skipped).
CGO_ENABLED=0 go build -o "$BIN.tmp" stepcamin
mv "$BIN.tmp" "$BIN"
echo "built $BIN ($("$BIN" version))"
