#!/bin/bash
# Builds the tiny Linux guest the QEMU end-to-end tests boot:
#   $OUT/vmlinuz             the Debian kernel that linux-image-amd64 depends on
#   $OUT/vmlinux             the same kernel decompressed (ELF with a PVH entry note), when the
#                            kernel has CONFIG_PVH=y: QEMU boots it directly, which skips ~3.5 s
#                            of XZ decompression under TCG
#   $OUT/initramfs.cpio.gz   busybox-static + IPMI/power-button modules + ipmitool (ldd closure)
#                            + scripts/guest/init as /init
# Packages are fetched with `apt-get download` and unpacked with dpkg-deb into a work dir, never
# installed (peers-observed.md §5). The result is reused while the cache key (package versions +
# hashes of this script and of /init) is unchanged.
#
#   scripts/build-guest.sh [--force] [--print-key]
#   IPMI_SIM_GUEST_DIR=dir   output folder (default <repo>/.cache/guest, git-ignored)
#
# Needs: apt-get, dpkg-deb, cpio, gzip, flock, and /usr/bin/ipmitool on the build machine
# (scripts/install-qemu-deps.sh installs what is missing).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${IPMI_SIM_GUEST_DIR:-$ROOT/.cache/guest}
INIT=$ROOT/scripts/guest/init
FORCE=0
PRINT_KEY=0
for a in "$@"; do
  case $a in
    --force) FORCE=1 ;;
    --print-key) PRINT_KEY=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "build-guest: unknown argument $a" >&2; exit 2 ;;
  esac
done

log() { echo "build-guest: $*" >&2; }
die() { log "$*"; exit 1; }

for tool in apt-get apt-cache dpkg-deb dpkg-query cpio gzip flock sha256sum; do
  command -v "$tool" >/dev/null || die "missing $tool (run scripts/install-qemu-deps.sh)"
done
[ -x /usr/bin/ipmitool ] || die "missing /usr/bin/ipmitool (run scripts/install-qemu-deps.sh)"

mkdir -p "$OUT/debs"
# Test files run in parallel and may all ask for the guest at once: build it only once.
exec 9>"$OUT/.lock"
flock 9

apt_updated=0
apt_update_once() {
  if [ $apt_updated = 0 ] && [ "$(id -u)" = 0 ]; then
    log "apt-get update"
    apt-get update -qq >&2 || true
    apt_updated=1
    return 0
  fi
  return 1
}

candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2; exit }'; }

kernel_pkg() {
  apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

# apt-cache costs ~0.7 s a call here; remember the answers until the package lists change.
APT_STAMP=$(stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0)
KPKG= KVER= BBVER=
if [ -f "$OUT/resolved" ]; then read -r stamp KPKG KVER BBVER <"$OUT/resolved" || true; fi
if [ "${stamp:-}" != "$APT_STAMP" ] || [ -z "$BBVER" ]; then
  KPKG=$(kernel_pkg)
  if [ -z "$KPKG" ]; then apt_update_once && KPKG=$(kernel_pkg) && APT_STAMP=$(stat -c %Y /var/lib/apt/lists); fi
  [ -n "$KPKG" ] || die "cannot resolve linux-image-amd64 (apt lists empty? run apt-get update)"
  KVER=$(candidate "$KPKG")
  BBVER=$(candidate busybox-static)
  [ -n "$KVER" ] && [ "$KVER" != "(none)" ] || die "no candidate for $KPKG"
  [ -n "$BBVER" ] && [ "$BBVER" != "(none)" ] || die "no candidate for busybox-static"
  echo "$APT_STAMP $KPKG $KVER $BBVER" >"$OUT/resolved"
fi
IPMIVER=$(dpkg-query -W -f='${Version}' ipmitool 2>/dev/null || echo unpackaged)
KREL=${KPKG#linux-image-}

KEY="kernel=$KPKG/$KVER busybox-static=$BBVER ipmitool=$IPMIVER init=$(sha256sum <"$INIT" | cut -c1-16) script=$(sha256sum <"$0" | cut -c1-16)"
if [ $PRINT_KEY = 1 ]; then echo "$KEY"; exit 0; fi

if [ $FORCE = 0 ] && [ -f "$OUT/key" ] && [ "$(cat "$OUT/key")" = "$KEY" ] \
  && [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initramfs.cpio.gz" ]; then
  log "up to date ($KEY)"
  exit 0
fi

started=$(date +%s.%N)
log "building for $KEY"

# apt-get download names files <name>_<version with ':' as %3a>_<arch>.deb
deb_path() { echo "$OUT/debs/${1}_${2//:/%3a}_amd64.deb"; }
fetch() { # fetch PACKAGE VERSION
  local f
  f=$(deb_path "$1" "$2")
  [ -s "$f" ] && return 0
  log "apt-get download $1=$2"
  if ! (cd "$OUT/debs" && apt-get download -q "$1=$2" >&2 2>/dev/null); then
    apt_update_once || true
    (cd "$OUT/debs" && apt-get download -q "$1=$2" >&2) || die "apt-get download $1=$2 failed"
  fi
  [ -s "$f" ] || die "download of $1 did not produce $f"
}
fetch "$KPKG" "$KVER"
fetch busybox-static "$BBVER"

WORK=$(mktemp -d "$OUT/work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
X=$WORK/x
R=$WORK/root
mkdir -p "$X" "$R"

# Only the files we need: the full kernel package unpacks to hundreds of MB.
MODS="drivers/char/ipmi/ipmi_msghandler drivers/char/ipmi/ipmi_devintf drivers/char/ipmi/ipmi_si
drivers/char/ipmi/ipmi_watchdog drivers/char/ipmi/ipmi_poweroff drivers/char/ipmi/ipmi_ssif
drivers/acpi/button drivers/input/evdev drivers/i2c/i2c-smbus drivers/i2c/busses/i2c-piix4
drivers/i2c/busses/i2c-i801"
patterns=("./boot/vmlinuz-$KREL" "./boot/config-$KREL")
for m in $MODS; do patterns+=("./lib/modules/$KREL/kernel/$m.ko*"); done
dpkg-deb --fsys-tarfile "$(deb_path "$KPKG" "$KVER")" | tar -x -C "$X" --wildcards "${patterns[@]}"
dpkg-deb --fsys-tarfile "$(deb_path busybox-static "$BBVER")" | tar -x -C "$X" ./bin/busybox

mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,lib/modules,lib64,proc,sys,dev,tmp,run,root,etc,usr/share/misc}
for m in $MODS; do
  f=$(ls "$X/lib/modules/$KREL/kernel/$m".ko* 2>/dev/null | head -n1)
  [ -n "$f" ] || die "module $m missing from $KPKG"
  case $f in
    *.ko) cp "$f" "$R/lib/modules/" ;;
    *.ko.xz) xz -dc "$f" >"$R/lib/modules/$(basename "$f" .xz)" ;;
    *.ko.zst) zstd -qdc "$f" >"$R/lib/modules/$(basename "$f" .zst)" ;;
    *) die "unexpected module file $f" ;;
  esac
done

cp "$X/bin/busybox" "$R/bin/busybox"
# Link every applet at the path busybox itself reports (bin/sh, usr/bin/awk, ...).
"$R/bin/busybox" --list-full | while read -r p; do
  [ "$p" = bin/busybox ] || ln -sf /bin/busybox "$R/$p"
done

# ipmitool and the shared objects it links (ldd closure of the build machine's binary).
cp /usr/bin/ipmitool "$R/usr/bin/ipmitool"
ldd /usr/bin/ipmitool | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | while read -r lib; do
  mkdir -p "$R$(dirname "$lib")"
  cp -L "$lib" "$R$lib"
done
# Manufacturer names for `mc info` (ipmitool reads the IANA list at run time).
if [ -f /usr/share/misc/enterprise-numbers.txt ]; then
  cp /usr/share/misc/enterprise-numbers.txt "$R/usr/share/misc/"
fi

cp "$INIT" "$R/init"
chmod 755 "$R/init"
echo "root:x:0:0:root:/root:/bin/sh" >"$R/etc/passwd"
echo "root:x:0:" >"$R/etc/group"
# The kernel opens /dev/console before running /init; creating the node needs root, and /init
# re-opens its stdio on devtmpfs anyway, so a non-root build still works.
if [ "$(id -u)" = 0 ]; then mknod -m 600 "$R/dev/console" c 5 1; fi

(cd "$R" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --owner=0:0 --quiet) \
  | gzip -6 >"$WORK/initramfs.cpio.gz"
cp "$X/boot/vmlinuz-$KREL" "$WORK/vmlinuz"

# The bzImage payload is the kernel ELF, compressed; find the stream and unpack it (what the
# kernel's scripts/extract-vmlinux does). Only worth it when the ELF can be booted via PVH.
extract_vmlinux() {
  local magic tool off
  grep -q '^CONFIG_PVH=y' "$X/boot/config-$KREL" || return 1
  if grep -q '^CONFIG_KERNEL_XZ=y' "$X/boot/config-$KREL"; then magic=$'\xfd7zXZ' tool="xz -dc --single-stream"
  elif grep -q '^CONFIG_KERNEL_ZSTD=y' "$X/boot/config-$KREL"; then magic=$'\x28\xb5\x2f\xfd' tool="zstd -dcq"
  else return 1; fi
  command -v "${tool%% *}" >/dev/null || return 1
  off=$(LC_ALL=C grep -obUaF "$magic" "$WORK/vmlinuz" | head -n1 | cut -d: -f1)
  [ -n "$off" ] || return 1
  tail -c +$((off + 1)) "$WORK/vmlinuz" | $tool >"$WORK/vmlinux" 2>/dev/null || true
  [ "$(head -c 4 "$WORK/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]
}
rm -f "$OUT/vmlinux"
if extract_vmlinux; then mv -f "$WORK/vmlinux" "$OUT/vmlinux"; else log "no PVH-bootable vmlinux; tests will boot the bzImage"; fi
mv -f "$WORK/vmlinuz" "$OUT/vmlinuz"
mv -f "$WORK/initramfs.cpio.gz" "$OUT/initramfs.cpio.gz"
echo "$KEY" >"$OUT/key"
# Old package versions are of no further use once the key moves on.
for f in "$OUT"/debs/*.deb; do
  case $f in
    "$(deb_path "$KPKG" "$KVER")"|"$(deb_path busybox-static "$BBVER")") ;;
    *) rm -f "$f" ;;
  esac
done
took=$(echo "$(date +%s.%N) - $started" | bc 2>/dev/null || echo "?")
log "done in ${took}s: $OUT/vmlinuz $(stat -c %s "$OUT/vmlinuz") bytes, initramfs $(stat -c %s "$OUT/initramfs.cpio.gz") bytes"
