#!/usr/bin/env bash
# Stops the dockerd that up.sh started (if it started one), and with it the containerd it runs; `down.sh STATE_FILE`.
# Silent.
state_file=$1
[ -f "$state_file" ] || exit 0
pid=$(cat "$state_file")
rm -f "$state_file"
kill "$pid" 2>/dev/null || exit 0
for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 1; done
kill -9 "$pid" 2>/dev/null
exit 0
