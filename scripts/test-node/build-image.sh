#!/usr/bin/env bash
# Builds the test node's root filesystem from Debian packages only (mmdebstrap, the host's mirror):
# systemd as PID 1, D-Bus, a Debian kernel, and the packages Kona's tests use. Writes into OUT:
#   root.img   ext4 image of the root filesystem (booted with a throw-away snapshot, never written)
#   vmlinuz    the kernel, initrd.img  its initramfs (virtio, ext4 and 9p modules)
# Usage: build-image.sh OUT SUITE MIRROR PACKAGE...
set -euo pipefail
out="$1" suite="$2" mirror="$3"
shift 3
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d "${TMPDIR:-/var/tmp}/kona-test-node.XXXXXX")"
trap 'rm -rf --one-file-system "$work"' EXIT

# Packages the node needs beyond the test ones: systemd as init with udev and D-Bus (the systemd cgroup
# driver talks to systemd1 over the system bus), the kernel, and kmod so that the kernel's modules load.
base=(systemd systemd-sysv udev dbus kmod procps linux-image-amd64 initramfs-tools)
include="$(IFS=,; echo "${base[*]},$*")"

mmdebstrap --quiet --variant=apt --include="$include" \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --essential-hook="'$here/initramfs-modules.sh' \"\$1\"" \
  --customize-hook="'$here/customize.sh' \"\$1\"" \
  "$suite" "$work/root" \
  "deb $mirror $suite main" "deb $mirror $suite-updates main" "deb ${mirror%/debian}/debian-security $suite-security main"

cp "$work"/root/boot/vmlinuz-* "$work/vmlinuz"
cp "$work"/root/boot/initrd.img-* "$work/initrd.img"
# Room for what the suites write (images, overlays, Maven's target/ copies): the file is sparse.
mke2fs -q -t ext4 -L kona-node -d "$work/root" "$work/root.img" 8G > /dev/null
mkdir -p "$out"
mv "$work/root.img" "$work/vmlinuz" "$work/initrd.img" "$out/"
