package dev.kona.linux.seccomp;

import dev.kona.oci.spec.Seccomp;
import dev.kona.oci.spec.SeccompArg;
import dev.kona.oci.spec.SeccompSyscall;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The CRI's {@code RuntimeDefault} seccomp profile: deny (EPERM) by default, allow the syscalls
 * ordinary programs use, and open the privileged ones only when the container holds the matching
 * capability in its bounding set. The allow-list follows the facts of the default profiles of
 * containerd and Docker, so a workload that runs there runs here.
 */
public final class RuntimeDefaultProfile {
  private static final String ALLOW = "SCMP_ACT_ALLOW";
  private static final int ENOSYS = 38;
  private static final long AF_ALG = 38;
  private static final long AF_VSOCK = 40;
  private static final long CLONE_NAMESPACE_FLAGS = 0x00020000L | 0x04000000L | 0x08000000L
      | 0x10000000L | 0x20000000L | 0x40000000L | 0x02000000L;

  private RuntimeDefaultProfile() {}

  /** The profile for a container whose bounding set is {@code capabilities} (CAP_* names). */
  public static Seccomp forCapabilities(Set<String> capabilities) {
    List<SeccompSyscall> rules = new ArrayList<>();
    rules.add(SeccompSyscall.of(ALLOW, DefaultSyscalls.ALLOWED));
    rules.add(SeccompSyscall.of(ALLOW, List.of("process_vm_readv", "process_vm_writev", "ptrace")));
    if (!archSpecific().isEmpty()) {
      rules.add(SeccompSyscall.of(ALLOW, archSpecific()));
    }
    // socket: everything but AF_ALG (crypto API) and AF_VSOCK (host sockets).
    rules.add(argRule("socket", 0, AF_ALG, "SCMP_CMP_LT"));
    rules.add(argRule("socket", 0, AF_ALG + 1, "SCMP_CMP_EQ"));
    rules.add(argRule("socket", 0, AF_VSOCK, "SCMP_CMP_GT"));
    // personality: only the harmless domains (Linux, Linux32, UNAME26 variants, and query).
    for (long persona : List.of(0x0L, 0x0008L, 0x20000L, 0x20008L, 0xffffffffL)) {
      rules.add(argRule("personality", 0, persona, "SCMP_CMP_EQ"));
    }
    boolean admin = capabilities.contains("CAP_SYS_ADMIN");
    for (CapabilityGate gate : CapabilityGate.values()) {
      if (capabilities.contains(gate.capability())) {
        rules.add(SeccompSyscall.of(ALLOW, gate.syscalls()));
      }
    }
    if (!admin) {
      // clone without namespace flags; clone3 reports ENOSYS so libc falls back to clone.
      rules.add(new SeccompSyscall(List.of("clone"), ALLOW, null, List.of(
          new SeccompArg(0, CLONE_NAMESPACE_FLAGS, 0, "SCMP_CMP_MASKED_EQ"))));
      rules.add(new SeccompSyscall(List.of("clone3"), "SCMP_ACT_ERRNO", ENOSYS, List.of()));
    }
    return new Seccomp("SCMP_ACT_ERRNO", null, architectures(), List.of(), null, null, rules);
  }

  private static SeccompSyscall argRule(String name, int index, long value, String op) {
    return new SeccompSyscall(List.of(name), ALLOW, null, List.of(new SeccompArg(index, value, 0, op)));
  }

  static List<String> architectures() {
    return switch (System.getProperty("os.arch")) {
      case "amd64", "x86_64" -> List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
      case "aarch64" -> List.of("SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64");
      case "s390x" -> List.of("SCMP_ARCH_S390", "SCMP_ARCH_S390X");
      case "riscv64" -> List.of("SCMP_ARCH_RISCV64");
      case "ppc64le" -> List.of("SCMP_ARCH_PPC64LE");
      default -> List.of();
    };
  }

  private static List<String> archSpecific() {
    return switch (System.getProperty("os.arch")) {
      case "amd64", "x86_64" -> List.of("arch_prctl", "modify_ldt");
      case "aarch64" -> List.of("arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2",
          "breakpoint", "cacheflush", "set_tls");
      case "s390x" -> List.of("s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr");
      case "riscv64" -> List.of("riscv_flush_icache", "riscv_hwprobe");
      case "ppc64le" -> List.of("sync_file_range2", "swapcontext");
      default -> List.of();
    };
  }

  /** Syscalls opened by a capability in the bounding set. */
  enum CapabilityGate {
    DAC_READ_SEARCH("CAP_DAC_READ_SEARCH", "open_by_handle_at"),
    SYS_ADMIN("CAP_SYS_ADMIN", "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount",
        "fsopen", "fspick", "lookup_dcookie", "mount", "mount_setattr", "move_mount", "open_tree",
        "perf_event_open", "quotactl", "quotactl_fd", "setdomainname", "sethostname", "setns",
        "syslog", "umount", "umount2", "unshare"),
    SYS_BOOT("CAP_SYS_BOOT", "reboot"),
    SYS_CHROOT("CAP_SYS_CHROOT", "chroot"),
    SYS_MODULE("CAP_SYS_MODULE", "delete_module", "init_module", "finit_module"),
    SYS_PACCT("CAP_SYS_PACCT", "acct"),
    SYS_PTRACE("CAP_SYS_PTRACE", "kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv",
        "process_vm_writev", "ptrace"),
    SYS_RAWIO("CAP_SYS_RAWIO", "iopl", "ioperm"),
    SYS_TIME("CAP_SYS_TIME", "settimeofday", "stime", "clock_settime", "clock_settime64"),
    SYS_TTY_CONFIG("CAP_SYS_TTY_CONFIG", "vhangup"),
    SYS_NICE("CAP_SYS_NICE", "get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"),
    SYSLOG("CAP_SYSLOG", "syslog"),
    BPF("CAP_BPF", "bpf"),
    PERFMON("CAP_PERFMON", "perf_event_open");

    private final String capability;
    private final List<String> syscalls;

    CapabilityGate(String capability, String... syscalls) {
      this.capability = capability;
      this.syscalls = List.of(syscalls);
    }

    String capability() {
      return capability;
    }

    List<String> syscalls() {
      return syscalls;
    }
  }
}
