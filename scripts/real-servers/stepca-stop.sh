#!/bin/sh
# Stops the step-ca started by stepca-start.sh for <dir> (by its pid file only) and waits for it
# to exit: on SIGTERM step-ca compacts its badger DB first, which takes about 1.5 s.
set -eu
D=${1:?usage: stepca-stop.sh <dir>}
PIDFILE="$D/step-ca.pid"
[ -f "$PIDFILE" ] || { echo "step-ca not running (no $PIDFILE)"; exit 0; }
PID=$(cat "$PIDFILE")
if kill "$PID" 2>/dev/null; then
  i=0
  while kill -0 "$PID" 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
  if kill -0 "$PID" 2>/dev/null; then kill -9 "$PID" 2>/dev/null || true; fi
fi
rm -f "$PIDFILE"
echo "step-ca stopped (pid $PID)"
