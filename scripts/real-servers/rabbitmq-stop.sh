#!/usr/bin/env bash
# Stops the isolated node started by rabbitmq-start.sh: SIGTERM to beam (its pid file), SIGKILL
# after 20 s, then the node's private epmd, which daemonises and would otherwise outlive it.
# usage: rabbitmq-stop.sh [--dir DIR]   (or RABBITMQ_DIR)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dir=${RABBITMQ_DIR:-$repo/.real-servers/rabbitmq}
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    *) echo "rabbitmq-stop.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -f "$dir/env" ] || { echo "no node was started from $dir"; exit 0; }
# shellcheck disable=SC1091
. "$dir/env"

# beam's pid is in rabbit.pid once it is up; server.pid is the launcher (the same process after exec)
for f in "$dir/rabbit.pid" "$dir/server.pid"; do
  p=$(cat "$f" 2>/dev/null || true)
  [ -n "$p" ] || continue
  kill "$p" 2>/dev/null || continue
  for _ in $(seq 1 200); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$p" 2>/dev/null; then echo "rabbitmq pid $p still alive after 20 s, SIGKILL"; kill -9 "$p" 2>/dev/null; fi
done
rm -f "$dir/rabbit.pid" "$dir/server.pid"

epmd_bin=$(ls /usr/lib/erlang/erts-*/bin/epmd 2>/dev/null | head -1)
[ -n "$epmd_bin" ] && "$epmd_bin" -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1
echo "rabbitmq stopped ($dir)"
exit 0
