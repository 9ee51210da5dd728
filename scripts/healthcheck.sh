#!/bin/bash
# The containers' health check without starting Node (a Node start every few seconds per container was most of the idle
# stack's CPU): `healthcheck.sh [PORT] [PATH]` GETs http://127.0.0.1:PORT/PATH over bash's /dev/tcp and exits 0 on a 2xx
# status.
port=${1:-${PORT:-3000}}
path=${2:-/healthz}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: docker-healthcheck\r\n\r\n' "$path" >&3
read -r -t 5 _ status _ <&3 || { echo "no answer from port $port"; exit 1; }
[[ $status == 2?? ]] || { echo "$path answered $status"; exit 1; }
