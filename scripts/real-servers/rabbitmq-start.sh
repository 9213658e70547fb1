#!/usr/bin/env bash
# Starts an isolated RabbitMQ node (Debian's 3.10.8) for conformance tests and manual checks:
# its own data dir, its own epmd, loopback-only listeners, management plugin on, admin seeded.
# We call /usr/lib/rabbitmq/bin/rabbitmq-server directly: /usr/sbin/rabbitmq-server su's to the
# `rabbitmq` user and uses /var/lib/rabbitmq, which would share state with any system node.
#
# usage: rabbitmq-start.sh [--dir DIR] [--mgmt-port N] [--amqp-port N] [--dist-port N]
#                          [--epmd-port N] [--mqtt-port N] [--admin-user U] [--admin-password P] [--fresh]
# Each option also reads an env var (RABBITMQ_DIR, RABBITMQ_MGMT_PORT, RABBITMQ_NODE_PORT,
# RABBITMQ_DIST_PORT, ERL_EPMD_PORT, RABBITMQ_MQTT_PORT, RABBITMQ_ADMIN_USER, RABBITMQ_ADMIN_PASSWORD).
# MQTT is enabled only when a port is given: the management-only node starts faster.
# --fresh wipes the node's database first, so the admin user is seeded again (rabbitmq.conf's
# default_user only applies to an empty database).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=${RABBITMQ_DIR:-$repo/.real-servers/rabbitmq}
mgmt=${RABBITMQ_MGMT_PORT:-35674}
amqp=${RABBITMQ_NODE_PORT:-35672}
dist=${RABBITMQ_DIST_PORT:-35673}
epmd=${ERL_EPMD_PORT:-34369}
mqtt=${RABBITMQ_MQTT_PORT:-}
user=${RABBITMQ_ADMIN_USER:-cdmadmin}
pass=${RABBITMQ_ADMIN_PASSWORD:-cdmadmin-pw}
fresh=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --mgmt-port) mgmt=$2; shift 2 ;;
    --amqp-port) amqp=$2; shift 2 ;;
    --dist-port) dist=$2; shift 2 ;;
    --epmd-port) epmd=$2; shift 2 ;;
    --mqtt-port) mqtt=$2; shift 2 ;;
    --admin-user) user=$2; shift 2 ;;
    --admin-password) pass=$2; shift 2 ;;
    --fresh) fresh=1; shift ;;
    *) echo "rabbitmq-start.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

server=/usr/lib/rabbitmq/bin/rabbitmq-server
[ -x "$server" ] || { echo "rabbitmq-server is not installed: run scripts/real-servers/rabbitmq-install.sh" >&2; exit 1; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -f "$dir/rabbit.pid" ] && kill -0 "$(cat "$dir/rabbit.pid")" 2>/dev/null; then
  echo "a node is already running from $dir (pid $(cat "$dir/rabbit.pid")); stop it with rabbitmq-stop.sh --dir $dir" >&2
  exit 1
fi
[ "$fresh" = 1 ] && rm -rf "$dir/mnesia" "$dir/plugins-expand" "$dir/log"
mkdir -p "$dir/home" "$dir/log" "$dir/mnesia"

# Everything the node and rabbitmqctl need, saved so rabbitmq-stop.sh (and a human running
# `. $dir/env; rabbitmqctl -n $RABBITMQ_NODENAME status`) reach the same node.
plugins=rabbitmq_management
[ -n "$mqtt" ] && plugins="$plugins,rabbitmq_mqtt"
cat > "$dir/env" <<ENV
export HOME='$dir/home'
export RABBITMQ_NODENAME='cdm$mgmt@localhost'
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$amqp
export RABBITMQ_DIST_PORT=$dist
export ERL_EPMD_PORT=$epmd
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_CONFIG_FILE='$dir/rabbitmq.conf'
export RABBITMQ_ENABLED_PLUGINS_FILE='$dir/enabled_plugins'
export RABBITMQ_MNESIA_BASE='$dir/mnesia'
export RABBITMQ_LOG_BASE='$dir/log'
export RABBITMQ_PLUGINS_EXPAND_DIR='$dir/plugins-expand'
export RABBITMQ_PID_FILE='$dir/rabbit.pid'
export RABBITMQ_CTL_DIST_PORT_MIN=$((dist + 10)) RABBITMQ_CTL_DIST_PORT_MAX=$((dist + 20))
# without this the Erlang distribution listener binds 0.0.0.0
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
export RABBITMQ_MGMT_PORT=$mgmt
ENV
# shellcheck disable=SC1091
. "$dir/env"

# .erlang.cookie must be private, or erl refuses to start
[ -f "$HOME/.erlang.cookie" ] || { head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9 > "$HOME/.erlang.cookie"; chmod 400 "$HOME/.erlang.cookie"; }
echo "[$plugins]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
{
  echo "listeners.tcp.default = 127.0.0.1:$amqp"
  echo "management.tcp.ip = 127.0.0.1"
  echo "management.tcp.port = $mgmt"
  [ -n "$mqtt" ] && echo "mqtt.listeners.tcp.default = 127.0.0.1:$mqtt"
  echo "default_user = $user"
  echo "default_pass = $pass"
  echo "default_user_tags.administrator = true"
  echo "default_permissions.configure = .*"
  echo "default_permissions.read = .*"
  echo "default_permissions.write = .*"
  echo "log.console = false"
  echo "log.file.level = info"
} > "$RABBITMQ_CONFIG_FILE"

start=$(date +%s%N)
# setsid: the node must outlive this script and not get the caller's terminal signals
setsid "$server" > "$dir/log/stdout.log" 2>&1 < /dev/null &
echo $! > "$dir/server.pid"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# The management API answers 1-3 s before the AMQP/MQTT listeners are bound: wait for all of them.
for _ in $(seq 1 1200); do
  if curl -sf -u "$user:$pass" "http://127.0.0.1:$mgmt/api/overview" >/dev/null 2>&1 \
     && port_open "$amqp" && { [ -z "$mqtt" ] || port_open "$mqtt"; }; then
    echo "rabbitmq up: mgmt http://127.0.0.1:$mgmt/api, amqp $amqp${mqtt:+, mqtt $mqtt} (pid $(cat "$dir/rabbit.pid" 2>/dev/null || cat "$dir/server.pid")) after $(( ($(date +%s%N) - start) / 1000000 )) ms"
    exit 0
  fi
  if ! kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
    echo "rabbitmq-server exited during start; last log lines:" >&2
    tail -30 "$dir/log/stdout.log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "rabbitmq did not come up within 120 s; last log lines:" >&2
tail -30 "$dir/log/stdout.log" >&2
exit 1
