#!/bin/sh
# mmdebstrap essential hook, before the kernel is installed: its initramfs holds only what the node
# boots from (virtio disk, ext4). MODULES=most would pack every storage driver and take minutes to build.
set -eu
mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/usr/share/initramfs-tools/modules.d"
echo MODULES=list > "$1/etc/initramfs-tools/conf.d/kona-test-node"
printf '%s\n' virtio_pci virtio_blk ext4 > "$1/usr/share/initramfs-tools/modules.d/kona-test-node"
