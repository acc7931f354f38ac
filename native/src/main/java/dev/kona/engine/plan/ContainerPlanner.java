package dev.kona.engine.plan;

import static dev.kona.linux.syscall.MountFlags.MS_BIND;
import static dev.kona.linux.syscall.MountFlags.MS_PRIVATE;
import static dev.kona.linux.syscall.MountFlags.MS_REC;
import static dev.kona.linux.syscall.MountFlags.MS_REMOUNT;
import static dev.kona.linux.syscall.MountFlags.MS_SHARED;
import static dev.kona.linux.syscall.MountFlags.MS_SLAVE;
import static dev.kona.linux.syscall.MountFlags.MS_UNBINDABLE;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.oci.spec.Capabilities;
import dev.kona.oci.spec.Linux;
import dev.kona.oci.spec.LinuxDevice;
import dev.kona.oci.spec.LinuxNamespace;
import dev.kona.oci.spec.Process;
import dev.kona.oci.spec.Rlimit;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.User;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An OCI spec to a container {@link LaunchPlan}. Adds what runc always adds: the standard device
 * nodes and /dev symlinks, except where a bind mount covers their path. Capabilities are limited
 * to what the host can grant.
 */
public final class ContainerPlanner {
  private static final List<DeviceNode> DEFAULT_DEVICES = List.of(
      DeviceNode.character("/dev/null", 1, 3), DeviceNode.character("/dev/zero", 1, 5),
      DeviceNode.character("/dev/full", 1, 7), DeviceNode.character("/dev/random", 1, 8),
      DeviceNode.character("/dev/urandom", 1, 9), DeviceNode.character("/dev/tty", 5, 0));
  private static final List<Symlink> DEFAULT_SYMLINKS = List.of(
      new Symlink("/proc/self/fd", "/dev/fd"), new Symlink("/proc/self/fd/0", "/dev/stdin"),
      new Symlink("/proc/self/fd/1", "/dev/stdout"), new Symlink("/proc/self/fd/2", "/dev/stderr"),
      new Symlink("pts/ptmx", "/dev/ptmx"));
  private static final Symlink CORE = new Symlink("/proc/kcore", "/dev/core");
  private static final Map<String, Long> ROOT_PROPAGATION = Map.of(
      "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC, "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
      "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC, "unbindable", MS_UNBINDABLE,
      "runbindable", MS_UNBINDABLE | MS_REC);
  static final Map<String, String> NAMESPACE_NAMES = Map.of(
      LinuxNamespace.MOUNT, "mnt", LinuxNamespace.PID, "pid", LinuxNamespace.NETWORK, "net",
      LinuxNamespace.IPC, "ipc", LinuxNamespace.UTS, "uts", LinuxNamespace.CGROUP, "cgroup",
      LinuxNamespace.USER, "user");

  private final HostFacts host;
  private final SeccompCompiler seccomp;

  /** {@code seccomp} may be null: a spec with a seccomp profile is then refused. */
  public ContainerPlanner(HostFacts host, SeccompCompiler seccomp) {
    this.host = host;
    this.seccomp = seccomp;
  }

  /** Where the container's process goes and how its output is kept, besides the spec. */
  public record Placement(List<Path> cgroupProcs, LaunchPlan.OomCounter oomCounter, Path logPath,
      boolean stdin, boolean stdinOnce, int maxLogLine) {}

  public LaunchPlan plan(Spec spec, Path bundle, Placement placement) {
    try {
      return build(spec, bundle, placement);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("plan container from " + bundle + ": " + e.getMessage(), e);
    }
  }

  private LaunchPlan build(Spec spec, Path bundle, Placement placement) {
    Process process = require(spec.process(), "process");
    if (spec.hooks() != null && Stream.of(spec.hooks().prestart(), spec.hooks().createRuntime(),
        spec.hooks().createContainer(), spec.hooks().startContainer(), spec.hooks().poststart(),
        spec.hooks().poststop()).anyMatch(hooks -> !hooks.isEmpty())) {
      throw new IllegalArgumentException("hooks: OCI hooks are not run by the native engine; use the runc handler");
    }
    Linux linux = spec.linux() == null ? new Linux(null, null, null, null, null, null, null, null, null, null, null, null) : spec.linux();
    Path rootfs = bundle.resolve(require(spec.root(), "root").path());
    List<NamespaceEntry> namespaces = namespaces(linux.namespaces());
    boolean userns = namespaces.stream().anyMatch(n -> n.type().equals("user"));
    if (userns && linux.namespace(LinuxNamespace.USER).path() == null) {
      throw new IllegalArgumentException("linux.namespaces: the native engine joins a pod's user namespace, it makes none");
    }
    List<MountOp> mounts = new ArrayList<>(MountTranslator.translate(spec.mounts(), bundle,
        host.cgroupV1Hierarchies()));
    if (!userns && mounts.stream().anyMatch(MountOp::idmapped)) {
      throw new IllegalArgumentException("mounts: uid and gid mappings need a user namespace to map with");
    }
    List<DeviceNode> devices = devices(linux.devices()).stream().filter(d -> !onHostBind(d.path(), mounts)).toList();
    if (userns) {
      // cgroup v1 cannot be mounted inside a user namespace (cgroup2 can); no mknod there either:
      // device nodes are bound from the host's node at the same path, as runc does.
      // The v1 hierarchies are left out: /sys/fs/cgroup stays an empty tmpfs.
      mounts.removeIf(m -> m.fstype().equals("cgroup"));
      for (DeviceNode d : devices) {
        mounts.add(new MountOp(d.path(), d.path(), "", MS_BIND, 0, ""));
      }
      devices = List.of();
    }
    var fs = new LaunchPlan.Filesystem(
        rootfs,
        rootPropagation(linux.rootfsPropagation()),
        spec.root().readonly(),
        mounts,
        devices,
        (host.kcore() ? Stream.concat(DEFAULT_SYMLINKS.stream(), Stream.of(CORE)) : DEFAULT_SYMLINKS.stream())
            .filter(l -> !onHostBind(l.link(), mounts)).toList(),
        linux.maskedPaths(),
        linux.readonlyPaths());
    SysctlPolicy.check(linux.sysctl(), namespaces);
    return new LaunchPlan(
        namespaces,
        placement.cgroupProcs(),
        fs,
        spec.hostname(),
        linux.sysctl(),
        rlimits(process.rlimits()),
        process.oomScoreAdj(),
        security(process, linux),
        identity(process.user()),
        new LaunchPlan.ProcessSpec(process.args(), process.env(), process.cwd()),
        new LaunchPlan.Stdio(process.terminal(), placement.stdin(), placement.stdinOnce(), placement.logPath(),
            placement.maxLogLine(), process.consoleSize() == null ? 0 : process.consoleSize().height(),
            process.consoleSize() == null ? 0 : process.consoleSize().width()),
        placement.oomCounter(),
        false);
  }

  static List<NamespaceEntry> namespaces(List<LinuxNamespace> namespaces) {
    Map<String, NamespaceEntry> byType = new LinkedHashMap<>();
    for (LinuxNamespace ns : namespaces) {
      String type = NAMESPACE_NAMES.get(ns.type());
      if (type == null) {
        throw new IllegalArgumentException("linux.namespaces: type " + ns.type() + " is not supported by the native engine");
      }
      byType.put(type, ns.path() == null || ns.path().isEmpty() ? NamespaceEntry.create(type)
          : NamespaceEntry.join(type, Path.of(ns.path())));
    }
    byType.putIfAbsent("mnt", NamespaceEntry.create("mnt"));
    return List.copyOf(byType.values());
  }

  LaunchPlan.Security security(Process process, Linux linux) {
    Capabilities c = process.capabilities();
    CapabilitySets caps = c == null ? CapabilitySets.NONE
        : new CapabilitySets(CapabilitySets.mask(c.bounding()), CapabilitySets.mask(c.effective()),
            CapabilitySets.mask(c.permitted()), CapabilitySets.mask(c.inheritable()), CapabilitySets.mask(c.ambient()));
    byte[] bpf = null;
    int flags = 0;
    if (linux.seccomp() != null) {
      if (seccomp == null) {
        throw new IllegalArgumentException("linux.seccomp: a profile is given but no seccomp compiler is configured");
      }
      SeccompCompiler.Filter filter = seccomp.compile(linux.seccomp());
      bpf = filter.bpf();
      flags = filter.flags();
    }
    return new LaunchPlan.Security(caps.within(host.boundingCapabilities()), process.noNewPrivileges(), bpf, flags);
  }

  static LaunchPlan.Identity identity(User user) {
    if (user == null) {
      return new LaunchPlan.Identity(0, 0, List.of(), null);
    }
    return new LaunchPlan.Identity(user.uid(), user.gid(), user.additionalGids(), user.umask());
  }

  static List<RlimitSetting> rlimits(List<Rlimit> rlimits) {
    return rlimits.stream().map(r -> RlimitSetting.of(r.type(), r.soft(), r.hard())).toList();
  }

  private static long rootPropagation(String name) {
    if (name == null || name.isEmpty()) {
      return MS_SLAVE | MS_REC;
    }
    Long flags = ROOT_PROPAGATION.get(name);
    if (flags == null) {
      throw new IllegalArgumentException("linux.rootfsPropagation: unknown " + name);
    }
    return flags;
  }

  private static List<DeviceNode> devices(List<LinuxDevice> devices) {
    Map<String, DeviceNode> byPath = new LinkedHashMap<>();
    DEFAULT_DEVICES.forEach(d -> byPath.put(d.path(), d));
    for (LinuxDevice d : devices) {
      long kind = switch (d.type()) {
        case "c", "u" -> DeviceNode.S_IFCHR;
        case "b" -> DeviceNode.S_IFBLK;
        case "p" -> DeviceNode.S_IFIFO;
        default -> throw new IllegalArgumentException("linux.devices " + d.path() + ": type " + d.type() + " is not c, u, b or p");
      };
      long mode = d.fileMode() == null ? 0666 : d.fileMode() & 07777;
      byPath.put(d.path(), new DeviceNode(d.path(), kind | mode, d.major(), d.minor(),
          d.uid() == null ? 0 : d.uid(), d.gid() == null ? 0 : d.gid()));
    }
    return new ArrayList<>(byPath.values());
  }

  /**
   * Whether {@code path} would land on a bind mount: the last of the deepest mounts covering it is
   * a bind. The helper never makes a node or link there, as it would appear in the mount's source
   * on the host (a host directory mounted at /dev is taken as it is, as runc leaves a bind-mounted
   * /dev alone).
   */
  static boolean onHostBind(String path, List<MountOp> mounts) {
    String p = normal(path);
    MountOp top = null;
    int depth = -1;
    for (MountOp m : mounts) {
      String t = normal(m.target());
      boolean covers = p.equals(t) || p.startsWith(t.equals("/") ? t : t + "/");
      if (covers && (m.flags() & MS_REMOUNT) == 0 && t.length() >= depth) {
        top = m;
        depth = t.length();
      }
    }
    return top != null && top.isBind();
  }

  private static String normal(String path) {
    return Path.of(path).normalize().toString();
  }

  private static <T> T require(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return value;
  }
}
