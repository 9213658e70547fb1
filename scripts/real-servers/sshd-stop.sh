#!/usr/bin/env bash
# Stops the two sshd instances started by sshd-start.sh (each by its own pid) and removes the
# network namespaces and veth pairs it made. Safe to run twice.
# usage: sshd-stop.sh --dir DIR
set -uo pipefail

dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    *) echo "sshd-stop.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$dir" ] || { echo "sshd-stop.sh: --dir is required" >&2; exit 2; }
[ -f "$dir/topology.env" ] || { echo "no sshd was started from $dir"; exit 0; }
# shellcheck disable=SC1091
. "$dir/topology.env"

for name in jump device; do
  p=$(cat "$dir/$name/bg.pid" 2>/dev/null || true)
  [ -n "$p" ] || continue
  kill "$p" 2>/dev/null || continue
  for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null
  rm -f "$dir/$name/bg.pid"
done

if [ "$NET" = netns ]; then
  # Deleting a namespace destroys the veth ends inside it, and with them their peers.
  ip route del unreachable "10.232.$ID.0/30" 2>/dev/null
  ip link del "cds$ID-a0" 2>/dev/null
  [ -n "$NSJ" ] && ip netns del "$NSJ" 2>/dev/null
  [ -n "$NSD" ] && ip netns del "$NSD" 2>/dev/null
fi
rm -f "$dir/topology.env"
echo "sshd stopped ($dir)"
exit 0
