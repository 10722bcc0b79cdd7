#!/usr/bin/env bash
# Fetches the Debian packages of a real Docker engine and registry for the build tests
# (test/e2e/build.test.ts) and unpacks them into .cache/engine/ without installing anything:
# dockerd, containerd, runc, tini (docker-init), docker-registry, and busybox-static for a RUN
# step in a FROM scratch image. The tests start and stop dockerd and the registry themselves.
# Safe to run again: a complete folder is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.cache/engine
packages=(docker.io containerd runc tini docker-registry busybox-static)
if [ -x "$dest/root/usr/sbin/dockerd" ] && [ -x "$dest/root/usr/bin/docker-registry" ] && [ -x "$dest/root/bin/busybox" ]; then
  echo "engine packages: already in $dest"
  exit 0
fi
mkdir -p "$dest/debs" "$dest/root"
if ! (cd "$dest/debs" && apt-get download "${packages[@]}" >/dev/null 2>&1); then
  apt-get update -qq >/dev/null
  (cd "$dest/debs" && apt-get download "${packages[@]}" >/dev/null)
fi
for deb in "$dest"/debs/*.deb; do dpkg -x "$deb" "$dest/root"; done
rm -rf "$dest/debs"
echo "engine packages: unpacked into $dest ($(du -sh "$dest" | cut -f1))"
