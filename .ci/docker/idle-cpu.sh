#!/usr/bin/env bash
# The idle CPU of a compose project, from the containers' cgroup counters: steadier than `docker stats` samples.
# Usage: idle-cpu.sh [PROJECT] [SECONDS]; PROJECT defaults to the folder's name, as `docker compose` does.
set -euo pipefail
project=${1:-$(basename "$PWD")}
seconds=${2:-120}
ids=$(docker compose -p "$project" ps -q --no-trunc)
[ -n "$ids" ] || { echo "idle-cpu: no running containers in project $project" >&2; exit 1; }

usage_ns() { # CPU time of one container so far, in ns (cgroup v1 or v2)
  local v1=/sys/fs/cgroup/cpuacct/docker/$1/cpuacct.usage v2=/sys/fs/cgroup/system.slice/docker-$1.scope/cpu.stat
  if [ -f "$v1" ]; then cat "$v1"; else awk '/^usage_usec/ { print $2 * 1000 }' "$v2"; fi
}
declare -A before
for id in $ids; do before[$id]=$(usage_ns "$id"); done
sleep "$seconds"
total=0
for id in $ids; do
  used=$(($(usage_ns "$id") - before[$id]))
  total=$((total + used))
  printf '%-28s %6.2f %% of one core\n' "$(docker inspect -f '{{.Name}}' "$id" | tr -d /)" \
    "$(echo "scale=4; $used / ($seconds * 10000000)" | bc)"
done
printf '%-28s %6.2f %% of one core over %s s\n' 'all' "$(echo "scale=4; $total / ($seconds * 10000000)" | bc)" \
  "$seconds"
