package dev.kona.oci.runc;

import dev.kona.oci.spec.Capabilities;
import dev.kona.oci.spec.Linux;
import dev.kona.oci.spec.LinuxNamespace;
import dev.kona.oci.spec.MemoryResources;
import dev.kona.oci.spec.PidsResources;
import dev.kona.oci.spec.Process;
import dev.kona.oci.spec.Resources;
import dev.kona.oci.spec.Rlimit;
import dev.kona.oci.spec.Root;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecJson;
import dev.kona.oci.spec.SpecMount;
import dev.kona.oci.spec.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** An OCI bundle whose rootfs is Debian's static busybox (package busybox-static) and its applets. */
final class BusyboxBundle {
  static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final List<String> APPLETS =
      List.of("sh", "echo", "sleep", "cat", "id", "hostname", "ls", "true", "false", "grep", "tail", "tty");
  static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
      "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP",
      "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

  private BusyboxBundle() {}

  /** Writes rootfs and config.json into {@code bundle}; the process runs {@code args}. */
  static Path create(Path bundle, String cgroupsPath, List<String> args) throws IOException {
    Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(BUSYBOX, bin.resolve("busybox"));
    for (String applet : APPLETS) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    for (String dir : List.of("proc", "dev", "sys", "tmp", "etc")) {
      Files.createDirectories(rootfs.resolve(dir));
    }
    SpecJson.write(bundle, spec(cgroupsPath, args));
    return bundle;
  }

  static Spec spec(String cgroupsPath, List<String> args) {
    Process process = Process.of(User.of(0, 0), args, List.of("PATH=/bin", "KONA=1"), "/")
        .withCapabilities(Capabilities.of(CAPS))
        .withRlimits(List.of(new Rlimit("RLIMIT_NOFILE", 1024, 1024)))
        .withNoNewPrivileges(true);
    List<SpecMount> mounts = List.of(
        SpecMount.of("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
        SpecMount.of("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
        SpecMount.of("/dev/pts", "devpts", "devpts",
            List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")),
        SpecMount.of("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
        SpecMount.of("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
        SpecMount.of("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
    Linux linux = new Linux(List.of(), List.of(), null,
        new Resources(List.of(), MemoryResources.limit(64L << 20, null), null, new PidsResources(64),
            null, List.of(), null),
        cgroupsPath,
        List.of(LinuxNamespace.create("pid"), LinuxNamespace.create("network"),
            LinuxNamespace.create("ipc"), LinuxNamespace.create("uts"), LinuxNamespace.create("mount")),
        List.of(), null, null,
        List.of("/proc/kcore", "/proc/keys", "/sys/firmware"),
        List.of("/proc/sys", "/proc/sysrq-trigger"), null);
    return new Spec(Spec.VERSION, process, new Root("rootfs", true), "kona-test", null, mounts, null,
        null, linux);
  }
}
