#!/bin/sh
# Starts a real step-ca on a state dir made by stepca-init.mjs and waits until /health answers.
# usage: stepca-start.sh <dir> [port]   (port defaults to the one in <dir>/config/ca.json;
#        when given, ca.json's address is rewritten to 127.0.0.1:<port>)
# writes <dir>/step-ca.pid and <dir>/step-ca.log (step-ca's own logrus text log on stderr).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${STEP_CA_BIN:-"$HERE/../../.real-servers/step-ca/bin/step-ca"}
D=${1:?usage: stepca-start.sh <dir> [port]}
D=$(cd "$D" && pwd)
[ -x "$BIN" ] || { echo "step-ca binary missing ($BIN): run scripts/real-servers/stepca-install.sh && scripts/real-servers/stepca-build.sh" >&2; exit 1; }
if [ -f "$D/step-ca.pid" ] && kill -0 "$(cat "$D/step-ca.pid")" 2>/dev/null; then
  echo "step-ca already running (pid $(cat "$D/step-ca.pid"))"; exit 0
fi
if [ -n "${2:-}" ]; then
  node -e '
    const fs = require("fs"); const f = process.argv[1]; const c = JSON.parse(fs.readFileSync(f, "utf8"));
    c.address = "127.0.0.1:" + process.argv[2]; fs.writeFileSync(f, JSON.stringify(c, null, 2));' "$D/config/ca.json" "$2"
fi
PORT=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).address.split(":").pop())' "$D/config/ca.json")
"$BIN" "$D/config/ca.json" --password-file "$D/secrets/password" >>"$D/step-ca.log" 2>&1 &
echo $! > "$D/step-ca.pid"
# The server certificate is issued by the CA itself; pin the root for the health probe.
i=0
while [ $i -lt 100 ]; do
  if curl -sf --cacert "$D/certs/root_ca.crt" "https://127.0.0.1:$PORT/health" >/dev/null 2>&1; then
    echo "step-ca up on https://127.0.0.1:$PORT (pid $(cat "$D/step-ca.pid"))"; exit 0
  fi
  kill -0 "$(cat "$D/step-ca.pid")" 2>/dev/null || break
  i=$((i + 1)); sleep 0.1
done
echo "step-ca did not come up; log follows" >&2
cat "$D/step-ca.log" >&2
kill "$(cat "$D/step-ca.pid")" 2>/dev/null || true
rm -f "$D/step-ca.pid"
exit 1
