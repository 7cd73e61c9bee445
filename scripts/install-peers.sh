#!/bin/sh
# Installs the real peers the test suite drives, from Debian packages, if they are missing:
# ipmitool, FreeIPMI, OpenIPMI's ipmi_sim, groff, zsh and fish, tmux (a terminal for
# `ipmitool sol activate`), the Redfish peers (python3-sushy, redfishtool) and openssl
# (serve --redfish makes its certificate with it), then QEMU and the guest-image tools
# (scripts/install-qemu-deps.sh).
# Idempotent; needs root (or passwordless sudo) only when something is missing.
set -eu

need=""
check() { command -v "$1" >/dev/null 2>&1 || need="$need $2"; }
check ipmitool ipmitool
check bmc-info freeipmi-tools
check ipmi_sim openipmi
# The completion and man-page checks run the real shells and groff.
check groff groff-base
check zsh zsh
check fish fish
# ipmitool sol activate needs a terminal: the SOL e2e test runs it under tmux.
check tmux tmux
check redfishtool redfishtool
check openssl openssl
/usr/bin/python3 -c 'import sushy' >/dev/null 2>&1 || need="$need python3-sushy"

here=$(dirname "$0")
if [ -z "$need" ]; then
  echo "install-peers: ipmitool, FreeIPMI, OpenIPMI, groff, zsh, fish, tmux, sushy, redfishtool and openssl present"
  exec bash "$here/install-qemu-deps.sh"
fi

echo "install-peers: installing$need"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "install-peers: need root to install:$need" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $need
exec bash "$here/install-qemu-deps.sh"
