package dev.kona.engine;

import dev.kona.oci.spec.Capabilities;
import dev.kona.oci.spec.Linux;
import dev.kona.oci.spec.LinuxNamespace;
import dev.kona.oci.spec.Process;
import dev.kona.oci.spec.Root;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecJson;
import dev.kona.oci.spec.SpecMount;
import dev.kona.oci.spec.User;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An OCI bundle with a busybox rootfs (Debian's busybox-static: /bin/busybox and its applet
 * symlinks) and a config like the one the runtime-service writes for a CRI container.
 */
final class BusyboxBundle {
  static final Path BUSYBOX = Path.of("/bin/busybox");
  static final List<String> DEFAULT_CAPS = List.of(
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
      "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
      "CAP_AUDIT_WRITE");

  private BusyboxBundle() {}

  /** A rootfs under {@code dir}/rootfs, shared by the bundles of one test class. */
  static Path rootfs(Path dir) throws IOException {
    Path rootfs = dir.resolve("rootfs");
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(BUSYBOX, bin.resolve("busybox"));
    java.lang.Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
    for (String applet : new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
      if (!applet.isBlank() && !applet.equals("busybox")) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    for (String d : List.of("proc", "dev", "sys", "tmp", "etc")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    return rootfs;
  }

  static Spec spec(Path rootfs, boolean terminal, String... args) {
    Process process = new Process(terminal, null, User.of(0, 0), List.of(args),
        List.of("PATH=/bin", "HOME=/"), "/", Capabilities.of(DEFAULT_CAPS), List.of(), true, null, null, null);
    List<SpecMount> mounts = List.of(
        SpecMount.of("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
        SpecMount.of("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
        SpecMount.of("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
        SpecMount.of("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
        SpecMount.of("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
        SpecMount.of("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
        SpecMount.of("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
    Linux linux = new Linux(null, null, null, null, null,
        List.of(LinuxNamespace.create(LinuxNamespace.PID), LinuxNamespace.create(LinuxNamespace.MOUNT),
            LinuxNamespace.create(LinuxNamespace.IPC), LinuxNamespace.create(LinuxNamespace.UTS),
            LinuxNamespace.create(LinuxNamespace.NETWORK), LinuxNamespace.create(LinuxNamespace.CGROUP)),
        null, null, null,
        List.of("/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"),
        List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"), null);
    return new Spec(Spec.VERSION, process, new Root(rootfs.toString(), false), "kona-test", null, mounts, null, null, linux);
  }

  /** Writes {@code spec} as {@code dir/<name>/config.json} and returns the bundle directory. */
  static Path write(Path dir, String name, Spec spec) throws IOException {
    Path bundle = Files.createDirectories(dir.resolve(name));
    Files.writeString(bundle.resolve(SpecJson.FILE_NAME), SpecJson.toJson(spec));
    return bundle;
  }
}
