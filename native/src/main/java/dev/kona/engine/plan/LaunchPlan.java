package dev.kona.engine.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything the helper does for one process, in the helper's terms. A container plan has a
 * {@code rootfs}; an exec plan has none and joins every namespace of its container instead.
 *
 * @param cgroupProcs cgroup.procs files the process writes itself into, before any namespace change
 * @param oomCounter a file and key ("memory.oom_control", "oom_kill") whose positive value at exit
 *     marks the exit as an OOM kill (of any process of the container); null when unknown
 * @param builtinInit run the helper's reaping init instead of {@code process.args}
 */
public record LaunchPlan(
    List<NamespaceEntry> namespaces,
    List<Path> cgroupProcs,
    Filesystem filesystem,
    String hostname,
    Map<String, String> sysctls,
    List<RlimitSetting> rlimits,
    Integer oomScoreAdj,
    Security security,
    Identity identity,
    ProcessSpec process,
    Stdio stdio,
    OomCounter oomCounter,
    boolean builtinInit) {

  public LaunchPlan {
    namespaces = List.copyOf(namespaces);
    cgroupProcs = List.copyOf(cgroupProcs);
    sysctls = Map.copyOf(sysctls);
    rlimits = List.copyOf(rlimits);
    if (!builtinInit && process.args().isEmpty()) {
      throw new IllegalArgumentException("launch plan: process.args is empty");
    }
  }

  /** The rootfs and what to mount in it; null for an exec. */
  public record Filesystem(
      Path rootfs,
      long rootPropagation,
      boolean readonlyRoot,
      List<MountOp> mounts,
      List<DeviceNode> devices,
      List<Symlink> symlinks,
      List<String> maskedPaths,
      List<String> readonlyPaths) {
    public Filesystem {
      mounts = List.copyOf(mounts);
      devices = List.copyOf(devices);
      symlinks = List.copyOf(symlinks);
      maskedPaths = List.copyOf(maskedPaths);
      readonlyPaths = List.copyOf(readonlyPaths);
    }

    /** Whether /dev/console lies on a bind mount from the host: then no terminal is bound there. */
    public boolean consoleOnHostBind() {
      return ContainerPlanner.onHostBind("/dev/console", mounts);
    }
  }

  /** Capabilities, no_new_privs, and a compiled seccomp filter (BPF, 8 bytes per instruction) or null. */
  public record Security(CapabilitySets capabilities, boolean noNewPrivileges, byte[] seccompBpf, int seccompFlags) {
    public Security {
      if (seccompBpf != null && (seccompBpf.length == 0 || seccompBpf.length % 8 != 0)) {
        throw new IllegalArgumentException("seccomp program: expected whole 8-byte instructions, got " + seccompBpf.length + " bytes");
      }
    }
  }

  public record Identity(long uid, long gid, List<Long> additionalGids, Integer umask) {
    public Identity {
      additionalGids = List.copyOf(additionalGids);
    }
  }

  public record ProcessSpec(List<String> args, List<String> env, String cwd) {
    public ProcessSpec {
      args = List.copyOf(args);
      env = List.copyOf(env);
      cwd = cwd == null || cwd.isEmpty() ? "/" : cwd;
    }
  }

  /**
   * {@code logPath} null: no log file. {@code maxLogLine} is the length after which lines split.
   * {@code rows} and {@code columns} size the terminal at create (0: the kernel's default).
   */
  public record Stdio(boolean tty, boolean stdin, boolean stdinOnce, Path logPath, int maxLogLine, int rows, int columns) {
    public Stdio(boolean tty, boolean stdin, boolean stdinOnce, Path logPath, int maxLogLine) {
      this(tty, stdin, stdinOnce, logPath, maxLogLine, 0, 0);
    }
  }

  public record OomCounter(Path file, String key) {}
}
