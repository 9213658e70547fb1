#!/bin/sh
# Installs what scripts/real-servers/stepca-build.sh needs: Go and Debian's step-ca 0.19 sources.
# Debian dropped the step-ca binary but still ships the library (incl. package `commands`),
# so the build compiles a small main against it (see step-ca-main.go).
# DPkg::Lock::Timeout: other jobs on the same machine may hold the dpkg lock; wait instead of failing.
set -eu
if command -v go >/dev/null 2>&1 && [ -d /usr/share/gocode/src/github.com/smallstep/certificates/commands ]; then
  echo "step-ca build dependencies already installed"; exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
  golang-go golang-github-smallstep-certificates-dev
