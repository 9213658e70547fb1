#!/usr/bin/env bash
# Installs RabbitMQ (Debian's rabbitmq-server, 3.10.8 on bookworm) for the conformance suite.
# The package's postinst tries to start a system node; policy-rc.d denies it here, which is
# harmless: rabbitmq-start.sh runs an isolated node of its own.
# The dpkg lock timeout lets this wait for another apt run (other installs may run at the same time).
set -euo pipefail
# curl: rabbitmq-start.sh polls the management API with it.
if [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && command -v curl >/dev/null; then
  echo "rabbitmq-server already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -o DPkg::Lock::Timeout=600
$SUDO apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 rabbitmq-server curl
