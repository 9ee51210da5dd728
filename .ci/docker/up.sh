#!/usr/bin/env bash
# What the compose end-to-end test needs, each step only when missing: Compose v2, a running Docker engine, node:24-slim
# and redis:7-alpine. `up.sh STATE_FILE`: when it starts dockerd itself it writes its pid there, for down.sh. Exit 0:
# ready; otherwise the test skips and says why.
set -uo pipefail
state_file=$1
export DEBIAN_FRONTEND=noninteractive
say() { echo "ci docker: $*"; }
apt_updated=0
# apt_install [-t SUITE] PACKAGE…, quietly; policy-rc.d keeps packages from starting services of their own
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq >/dev/null 2>&1; apt_updated=1; fi
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1
  local status=$?
  rm -f /usr/sbin/policy-rc.d
  return $status
}

# The engine and the docker CLI: Debian's docker.io, when there is no dockerd.
if ! docker info >/dev/null 2>&1 && ! command -v dockerd >/dev/null 2>&1; then
  say "installing docker.io"
  apt_install docker.io
  command -v dockerd >/dev/null 2>&1 || { say "could not install dockerd"; exit 1; }
fi

# Compose v2 (`docker compose`, what the lab's driver runs): Debian trixie's docker-compose 2.x; bookworm's is the
# Python 1.29.
compose_v2() { docker compose version 2>/dev/null | grep -q 'version v\?2\.'; }
if ! compose_v2; then
  say "installing Compose v2 from Debian trixie (pinned low: nothing else comes from trixie)"
  if [ ! -f /etc/apt/sources.list.d/trixie-compose.sources ]; then
    printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: trixie' 'Components: main' \
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' >/etc/apt/sources.list.d/trixie-compose.sources
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' >/etc/apt/preferences.d/trixie-compose
    apt_updated=0
  fi
  apt_install -t trixie docker-compose
  compose_v2 || { say "no Compose v2"; exit 1; }
fi

# Use an engine that answers, else start dockerd.
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (log: /var/tmp/ci-dockerd.log)"
  mkdir -p "$(dirname "$state_file")"
  setsid dockerd >/var/tmp/ci-dockerd.log 2>&1 </dev/null &
  echo $! >"$state_file"
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { say "dockerd did not answer within 60 s"; tail -5 /var/tmp/ci-dockerd.log; exit 1; }
fi

# The base images: pulled where a registry answers; local stand-ins built only where none does.
missing=0
for image in node:24-slim redis:7-alpine; do
  docker image inspect "$image" >/dev/null 2>&1 && continue
  timeout 120 docker pull -q "$image" >/dev/null 2>&1 || missing=1
done
if [ "$missing" = 1 ]; then
  say "no image registry answers: building local stand-ins for node:24-slim and redis:7-alpine"
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  bash "$(dirname "$0")/stand-in-images.sh" || { say "could not build the stand-in images"; exit 1; }
fi
engine=$(docker version --format 'engine {{.Server.Version}}')
say "ready: $engine, $(docker compose version --short 2>/dev/null | sed 's/^/compose /')"
