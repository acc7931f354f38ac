#!/usr/bin/env bash
# mmdebstrap customize hook: makes the tree in $1 boot straight into the test job.
set -euo pipefail
root="$1"
here="$(cd "$(dirname "$0")" && pwd)"
echo kona-node > "$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 kona-node\n' > "$root/etc/hosts"
printf '/dev/vda / ext4 rw,noatime 0 1\n' > "$root/etc/fstab"
install -m 0755 "$here/node-job" "$root/usr/local/sbin/kona-node-job"
install -m 0644 "$here/kona-node-job.service" "$root/etc/systemd/system/kona-node-job.service"
chroot "$root" systemctl enable -q kona-node-job.service
# Nothing that starts work of its own or waits for a network: the node runs one job and powers off.
# containerd is there for the bench set, which starts its own on its own socket and directories.
chroot "$root" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
  man-db.timer dpkg-db-backup.timer docker-registry.service containerd.service serial-getty@ttyS0.service getty@tty1.service \
  systemd-timesyncd.service 2>/dev/null
# An empty root password is never needed: the job runs as a unit; lock the account.
chroot "$root" passwd -l root >/dev/null
