#!/usr/bin/env bash
# Starts two throwaway OpenSSH servers for the `cdm debug` tests and manual checks: a JUMP host
# and a DEVICE that should only be reachable through it, as a device's WireGuard IP is only
# reachable through the tenant's jump host. Debian's openssh-server (9.2p1), no systemd.
#
# usage: sshd-start.sh --dir DIR [--net auto|netns|loopback] [--id N] [--jump-port P] [--device-port P]
#
#   netns (default as root): the jump sshd runs in netns cdmssh-N-j, the device sshd in cdmssh-N-d.
#     root ns 10.231.N.1 <-veth-> 10.231.N.2 jump ns 10.232.N.1 <-veth-> 10.232.N.2 device ns
#     The root namespace (where cdm runs) has no route to 10.232.N.0/30, so the device is reachable
#     only through the jump host's forwarded channel. Both log in as root (key only).
#   loopback (default without root): jump on 127.0.0.1, device on 127.0.0.2. An unprivileged sshd can
#     only log in as its own user, and 127.0.0.2 is reachable directly too (no isolation).
#
# The device gets a minimal PATH without journalctl (like a device image without systemd), so
# `cdm debug logs` has to fall back to /var/log/<unit>.log.
# Writes DIR/topology.json (hosts, ports, user, client keys, and an address behind the jump where no
# sshd listens, for failure tests) and DIR/topology.env (for sshd-stop.sh).
# Keys: DIR/client/id_ed25519 is authorized on both servers, DIR/client/jump_only_ed25519 only on the jump.
set -euo pipefail

dir=""; net=auto; id=$(( RANDOM % 250 + 1 )); jport=""; dport=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --net) net=$2; shift 2 ;;
    --id) id=$2; shift 2 ;;
    --jump-port) jport=$2; shift 2 ;;
    --device-port) dport=$2; shift 2 ;;
    *) echo "sshd-start.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$dir" ] || { echo "sshd-start.sh: --dir is required" >&2; exit 2; }
SSHD=/usr/sbin/sshd   # absolute path: sshd re-executes itself
[ -x "$SSHD" ] || { echo "sshd-start.sh: $SSHD missing: apt-get install -y --no-install-recommends openssh-server" >&2; exit 1; }
if [ "$net" = auto ]; then
  if [ "$(id -u)" -eq 0 ] && ip netns list >/dev/null 2>&1; then net=netns; else net=loopback; fi
fi
case "$net" in netns|loopback) ;; *) echo "sshd-start.sh: --net must be netns, loopback or auto" >&2; exit 2 ;; esac

mkdir -p "$dir/client" "$dir/jump" "$dir/device/bin"
dir=$(cd "$dir" && pwd)
[ -f "$dir/client/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C cdm-debug-test -f "$dir/client/id_ed25519"
[ -f "$dir/client/jump_only_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C cdm-debug-jump-only -f "$dir/client/jump_only_ed25519"
cat "$dir/client/id_ed25519.pub" "$dir/client/jump_only_ed25519.pub" > "$dir/jump/authorized_keys"
cat "$dir/client/id_ed25519.pub" > "$dir/device/authorized_keys"
chmod 644 "$dir/jump/authorized_keys" "$dir/device/authorized_keys"   # read as the target user

# The device's PATH: the usual tools, deliberately without journalctl.
for tool in sh bash cat echo printf tail head ls id uname env true false sleep hostname wc tr sed grep; do
  p=$(command -v "$tool" || true)
  [ -n "$p" ] && ln -sf "$p" "$dir/device/bin/$tool"
done

if [ "$net" = netns ]; then
  user=root
  jhost=10.231.$id.2; dhost=10.232.$id.2
  jport=${jport:-2222}; dport=${dport:-2222}
  nsj=cdmssh-$id-j; nsd=cdmssh-$id-d
  mkdir -p /run/sshd; chmod 755 /run/sshd   # privilege separation directory, needed as root
  ip netns add "$nsj"; ip netns add "$nsd"
  ip link add "cds$id-a0" type veth peer name "cds$id-a1"
  ip link add "cds$id-b0" type veth peer name "cds$id-b1"
  ip link set "cds$id-a1" netns "$nsj"; ip link set "cds$id-b0" netns "$nsj"; ip link set "cds$id-b1" netns "$nsd"
  ip addr add "10.231.$id.1/30" dev "cds$id-a0"; ip link set "cds$id-a0" up
  ip -n "$nsj" link set lo up
  ip -n "$nsj" addr add "$jhost/30" dev "cds$id-a1"; ip -n "$nsj" link set "cds$id-a1" up
  ip -n "$nsj" addr add "10.232.$id.1/30" dev "cds$id-b0"; ip -n "$nsj" link set "cds$id-b0" up
  ip -n "$nsd" link set lo up
  ip -n "$nsd" addr add "$dhost/30" dev "cds$id-b1"; ip -n "$nsd" link set "cds$id-b1" up
  # Refuse at once instead of leaving it to the default route (which may lead anywhere).
  ip route add unreachable "10.232.$id.0/30"
  jrun=(ip netns exec "$nsj"); drun=(ip netns exec "$nsd")
  unreachable=10.232.$id.1   # the jump's own address on the device link: nothing listens on the device port
else
  user=$(id -un)
  jhost=127.0.0.1; dhost=127.0.0.2
  jport=${jport:-2222}; dport=${dport:-2223}
  nsj=""; nsd=""
  jrun=(); drun=()
  unreachable=127.0.0.3
fi
printf 'NET=%s\nID=%s\nNSJ=%s\nNSD=%s\n' "$net" "$id" "$nsj" "$nsd" > "$dir/topology.env"

# One sshd: own host key, key-only login, no PAM (so locked accounts and PAM stacks do not matter).
start_one() { # name listen-host port extra-config
  local name=$1 host=$2 port=$3 extra=$4 d="$dir/$1"
  [ -f "$d/hostkey" ] || ssh-keygen -q -t ed25519 -N '' -C "cdm-debug-$name" -f "$d/hostkey"
  cat > "$d/sshd_config" <<CONF
Port $port
ListenAddress $host
HostKey $d/hostkey
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowTcpForwarding yes
UsePAM no
StrictModes no
PrintMotd no
Subsystem sftp /usr/lib/openssh/sftp-server
$extra
CONF
  "$SSHD" -t -f "$d/sshd_config"
}
start_one jump "$jhost" "$jport" ""
start_one device "$dhost" "$dport" "SetEnv PATH=$dir/device/bin"

"${jrun[@]}" "$SSHD" -D -e -f "$dir/jump/sshd_config" > "$dir/jump/sshd.log" 2>&1 &
echo $! > "$dir/jump/bg.pid"
"${drun[@]}" "$SSHD" -D -e -f "$dir/device/sshd_config" > "$dir/device/sshd.log" 2>&1 &
echo $! > "$dir/device/bg.pid"

wait_port() { # runner... host port
  local port=${*: -1} host=${*: -2:1} i
  local run=("${@:1:$#-2}")
  for i in $(seq 100); do
    "${run[@]}" bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "sshd-start.sh: nothing listens on $host:$port after 5 s" >&2; return 1
}
wait_port "${jrun[@]}" "$jhost" "$jport" || { cat "$dir/jump/sshd.log" >&2; exit 1; }
wait_port "${drun[@]}" "$dhost" "$dport" || { cat "$dir/device/sshd.log" >&2; exit 1; }

cat > "$dir/topology.json" <<JSON
{
  "isolation": "$net",
  "user": "$user",
  "jump": { "host": "$jhost", "port": $jport, "hostKey": "$(cut -d' ' -f1-2 "$dir/jump/hostkey.pub")" },
  "device": { "host": "$dhost", "port": $dport, "hostKey": "$(cut -d' ' -f1-2 "$dir/device/hostkey.pub")" },
  "unreachable": "$unreachable",
  "identity": "$dir/client/id_ed25519",
  "jumpOnlyIdentity": "$dir/client/jump_only_ed25519"
}
JSON
echo "sshd ($net): jump $user@$jhost:$jport, device $dhost:$dport (through the jump); see $dir/topology.json"
