package dev.kona.runtime.spec;

import dev.kona.oci.spec.SpecMount;
import dev.kona.runtime.sandbox.SandboxRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The mounts every container gets before its own: /proc, /dev and its pts, shm and mqueue, /sys,
 * /sys/fs/cgroup, and the pod's hostname, hosts and resolv.conf. A CRI mount at the same destination (the kubelet
 * brings its own /etc/hosts) replaces the default.
 */
final class DefaultMounts {

  private DefaultMounts() {}

  static List<SpecMount> of(SandboxRecord sandbox, boolean privileged, boolean readonlyRootfs) {
    List<SpecMount> mounts = new ArrayList<>();
    mounts.add(SpecMount.of("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
    mounts.add(SpecMount.of("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
    mounts.add(SpecMount.of("/dev/pts", "devpts", "devpts",
        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
    if (sandbox.shm().isEmpty()) {
      mounts.add(SpecMount.of("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
    } else {
      mounts.add(SpecMount.of("/dev/shm", "bind", sandbox.shm(), List.of("rbind", "nosuid", "noexec", "nodev")));
    }
    mounts.add(SpecMount.of("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
    mounts.add(SpecMount.of("/sys", "sysfs", "sysfs",
        privileged ? List.of("nosuid", "noexec", "nodev") : List.of("nosuid", "noexec", "nodev", "ro")));
    // Seen from the container's own cgroup namespace: its cgroups as the root, read-only unless
    // privileged (containerd's default mount; JVMs and Go read their limits here).
    mounts.add(SpecMount.of("/sys/fs/cgroup", "cgroup", "cgroup",
        privileged ? List.of("nosuid", "noexec", "nodev", "relatime", "rw")
            : List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
    String files = sandbox.filesDir();
    if (!files.isEmpty()) {
      List<String> opts = readonlyRootfs ? List.of("rbind", "rprivate", "ro") : List.of("rbind", "rprivate");
      mounts.add(SpecMount.of("/etc/hostname", "bind", files + "/hostname", opts));
      mounts.add(SpecMount.of("/etc/hosts", "bind", files + "/hosts", opts));
      mounts.add(SpecMount.of("/etc/resolv.conf", "bind", files + "/resolv.conf", opts));
    }
    return mounts;
  }

  /** containerd's defaults, used when the kubelet sends none. */
  static final List<String> MASKED_PATHS = List.of(
      "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
      "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
      "/sys/firmware", "/sys/devices/virtual/powercap");

  static final List<String> READONLY_PATHS = List.of(
      "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
}
