#!/bin/bash
# Installs what the QEMU interop tests and the guest build need on Debian 12, and only what is
# missing, so CI can call it on every run:
#   qemu-system-x86 (qemu-system-x86_64), busybox-static, cpio, ipmitool, xz-utils
# The guest kernel is NOT installed: scripts/build-guest.sh fetches it with `apt-get download`,
# which only needs current package lists; this script refreshes them when they cannot resolve
# linux-image-amd64.
#
#   scripts/install-qemu-deps.sh [--check]    --check: report, install nothing (exit 1 if missing)
set -euo pipefail

PACKAGES=(qemu-system-x86 busybox-static cpio ipmitool xz-utils)
CHECK=0
case ${1:-} in
  --check) CHECK=1 ;;
  '') ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

log() { echo "install-qemu-deps: $*" >&2; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
resolvable() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { found = ($2 != "(none)") } END { exit !found }'; }

missing=()
for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
need_lists=0
resolvable linux-image-amd64 || need_lists=1

if [ ${#missing[@]} = 0 ] && [ $need_lists = 0 ]; then
  log "all present (${PACKAGES[*]}; linux-image-amd64 resolvable)"
  exit 0
fi
if [ $CHECK = 1 ]; then
  [ ${#missing[@]} = 0 ] || log "missing: ${missing[*]}"
  [ $need_lists = 0 ] || log "package lists cannot resolve linux-image-amd64 (apt-get update needed)"
  exit 1
fi

SUDO=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { log "not root and no sudo: install ${missing[*]} yourself"; exit 1; }
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

if [ $need_lists = 1 ]; then
  log "apt-get update"
  "${SUDO[@]}" apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    # Stale lists are the usual cause (a package version that the mirror no longer has).
    [ $need_lists = 1 ] || { log "apt-get update"; "${SUDO[@]}" apt-get update -qq; }
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
log "done"
