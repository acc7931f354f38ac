package dev.kona.runtime.spec;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.NotFoundException;
import dev.kona.oci.spec.Capabilities;
import dev.kona.oci.spec.CpuResources;
import dev.kona.oci.spec.DeviceRule;
import dev.kona.oci.spec.HugepageLimit;
import dev.kona.oci.spec.Linux;
import dev.kona.oci.spec.LinuxDevice;
import dev.kona.oci.spec.IdMapping;
import dev.kona.oci.spec.LinuxNamespace;
import dev.kona.oci.spec.MemoryResources;
import dev.kona.oci.spec.Process;
import dev.kona.oci.spec.Resources;
import dev.kona.oci.spec.Root;
import dev.kona.oci.spec.Seccomp;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecMount;
import dev.kona.oci.spec.User;
import dev.kona.runtime.container.ContainerSpec;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.SandboxSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds a container's OCI runtime spec from its CRI config, its image and its pod: the policy the
 * engines below only carry out. One method per part of the spec.
 */
public final class OciSpecBuilder {

  private final CapabilityPolicy capabilities;

  public OciSpecBuilder(CapabilityPolicy capabilities) {
    this.capabilities = capabilities;
  }

  public Spec build(SpecInputs in) {
    ContainerSpec c = in.container();
    ContainerSpec.Security sec = c.security();
    String hostname = hostnameOf(in.sandbox());
    Process process = process(in, hostname);
    Seccomp seccomp = sec.privileged() ? null : in.seccomp().resolve(sec, process.capabilities().bounding());
    SandboxSpec.UserNamespace userns = in.sandbox().spec().userNamespace();
    Linux linux = new Linux(userns == null ? List.of() : List.of(mapping(userns.uids())),
        userns == null ? List.of() : List.of(mapping(userns.gids())), Map.of(), resources(c), in.cgroupsPath(), namespaces(in),
        devices(c), seccomp, rootfsPropagation(c),
        sec.privileged() || sec.unmaskedProc() ? List.of()
            : (sec.maskedPaths().isEmpty() ? DefaultMounts.MASKED_PATHS : sec.maskedPaths()),
        sec.privileged() || sec.unmaskedProc() ? List.of()
            : (sec.readonlyPaths().isEmpty() ? DefaultMounts.READONLY_PATHS : sec.readonlyPaths()),
        null);
    return new Spec(Spec.VERSION, process, new Root(in.rootfs().toString(), sec.readonlyRootfs()),
        null, null, mounts(in), in.hooks(), c.annotations(), linux);
  }

  private Process process(SpecInputs in, String hostname) {
    ContainerSpec c = in.container();
    ContainerSpec.Security sec = c.security();
    if (sec.runAsGroup() >= 0 && sec.runAsUser() < 0 && sec.runAsUsername().isEmpty()) {
      throw new InvalidArgumentException(
          "config.linux.security_context.run_as_group is set without run_as_user or run_as_username");
    }
    String userSpec = !sec.runAsUsername().isEmpty() ? sec.runAsUsername()
        : sec.runAsUser() >= 0 ? Long.toString(sec.runAsUser())
        : in.image().user();
    UserResolver.ResolvedUser user =
        new UserResolver(in.rootfs()).resolve(userSpec, sec.runAsGroup(), sec.supplementalGroups(),
            sec.strictSupplementalGroups());
    // The primary gid leads the supplementary groups, as containerd and Docker set them, so the
    // process's Groups (and ContainerStatus.user) list it too.
    List<Long> groups = new ArrayList<>(List.of(user.gid()));
    groups.addAll(user.additionalGids());
    List<String> caps = capabilities.effective(sec.privileged(), sec.addCapabilities(), sec.dropCapabilities());
    List<String> ambient = CapabilityPolicy.normalise(sec.addAmbientCapabilities(), "add_ambient_capabilities")
        .stream().filter(caps::contains).toList();
    String cwd = !c.workingDir().isEmpty() ? c.workingDir()
        : !in.image().workingDir().isEmpty() ? in.image().workingDir() : "/";
    Process p = Process.of(new User(user.uid(), user.gid(), null, groups),
        ProcessArgs.argv(c, in.image()), ProcessArgs.env(c, in.image(), hostname), cwd)
        .withTerminal(c.tty())
        // An ambient capability must also be permitted and inheritable, or PR_CAP_AMBIENT_RAISE
        // fails; inheritable holds exactly the ambient ones (empty otherwise, as containerd has it).
        .withCapabilities(new Capabilities(caps, caps, ambient, caps, ambient))
        .withNoNewPrivileges(sec.noNewPrivs());
    return c.resources().oomScoreAdj() != 0 ? p.withOomScoreAdj((int) c.resources().oomScoreAdj()) : p;
  }

  private static List<SpecMount> mounts(SpecInputs in) {
    ContainerSpec c = in.container();
    List<ContainerSpec.MountSpec> ordered = new ArrayList<>(c.mounts());
    ordered.addAll(in.imageVolumes());
    Set<String> own = ordered.stream().map(ContainerSpec.MountSpec::containerPath).collect(Collectors.toSet());
    List<SpecMount> mounts = new ArrayList<>();
    // A CRI mount at /dev replaces the whole of the container's /dev, as containerd has it: the
    // defaults under /dev (pts, shm, mqueue) would otherwise be made inside the host's directory.
    boolean ownDev = own.stream().anyMatch(p -> Path.of(p).normalize().toString().equals("/dev"));
    for (SpecMount m : DefaultMounts.of(in.sandbox(), c.security().privileged(), c.security().readonlyRootfs())) {
      if (!own.contains(m.destination()) && !(ownDev && m.destination().startsWith("/dev/"))) {
        mounts.add(m);
      }
    }
    // Parents before children, so a mount inside another volume lands on top of it.
    ordered.sort(Comparator.comparingInt(m -> Path.of(m.containerPath()).normalize().getNameCount()));
    for (ContainerSpec.MountSpec m : ordered) {
      Path source = Path.of(m.hostPath());
      if (!Files.exists(source)) {
        throw new NotFoundException("config.mounts: host_path \"" + m.hostPath() + "\" of " + m.containerPath() + " does not exist");
      }
      String real;
      try {
        real = source.toRealPath().toString();
      } catch (IOException e) {
        throw new InvalidArgumentException("config.mounts: resolve host_path \"" + m.hostPath() + "\": " + e.getMessage(), e);
      }
      List<String> opts = new ArrayList<>(List.of("rbind", m.propagation()));
      if (m.readonly()) {
        opts.add("ro");
      }
      if (m.recursiveReadOnly()) {
        opts.add("rro"); // OCI runtime-spec 1.1: mount_setattr(AT_RECURSIVE, MOUNT_ATTR_RDONLY)
      }
      if (m.idMapping() == null) {
        mounts.add(SpecMount.of(m.containerPath(), "bind", real, opts));
      } else {
        // An idmapped bind (OCI runtime-spec 1.1 mount mappings): the engine maps it with the pod's user namespace.
        mounts.add(new SpecMount(m.containerPath(), "bind", real, opts, List.of(mapping(m.idMapping().uids())),
            List.of(mapping(m.idMapping().gids()))));
      }
    }
    return mounts;
  }

  private static IdMapping mapping(SandboxSpec.IdRange r) {
    return new IdMapping(r.containerId(), r.hostId(), r.length());
  }

  private static String rootfsPropagation(ContainerSpec c) {
    boolean shared = c.mounts().stream().anyMatch(m -> m.propagation().equals("rshared"));
    boolean slave = c.mounts().stream().anyMatch(m -> m.propagation().equals("rslave"));
    return shared ? "rshared" : slave ? "rslave" : null;
  }

  private static List<LinuxNamespace> namespaces(SpecInputs in) {
    SandboxRecord s = in.sandbox();
    List<LinuxNamespace> ns = new ArrayList<>();
    ns.add(LinuxNamespace.create(LinuxNamespace.MOUNT));
    // Its own cgroup namespace: /proc/self/cgroup and the /sys/fs/cgroup mount show the
    // container's cgroups as the root (the helper unshares it after joining them).
    ns.add(LinuxNamespace.create(LinuxNamespace.CGROUP));
    if (!s.userns().isEmpty()) {
      // Joined first by the engines; the pod's network, IPC and UTS namespaces belong to it.
      ns.add(LinuxNamespace.join(LinuxNamespace.USER, s.userns()));
    }
    if (!s.netns().isEmpty()) {
      ns.add(LinuxNamespace.join(LinuxNamespace.NETWORK, s.netns()));
    }
    if (!s.ipcns().isEmpty()) {
      ns.add(LinuxNamespace.join(LinuxNamespace.IPC, s.ipcns()));
    }
    if (!s.utsns().isEmpty()) {
      ns.add(LinuxNamespace.join(LinuxNamespace.UTS, s.utsns()));
    }
    switch (in.container().security().pidMode()) {
      case "NODE" -> { }
      case "TARGET", "POD" -> {
        if (in.pidNamespace() == null) {
          throw new InvalidArgumentException("config.linux.security_context.namespace_options.pid: no PID namespace to join");
        }
        ns.add(LinuxNamespace.join(LinuxNamespace.PID, in.pidNamespace()));
      }
      default -> ns.add(LinuxNamespace.create(LinuxNamespace.PID));
    }
    return ns;
  }

  /** The cgroup resources of a container, as its spec carries them (also for a live update). */
  public static Resources resources(ContainerSpec c) {
    ContainerSpec.Resources r = c.resources();
    CpuResources cpu = CpuResources.of(positive(r.cpuShares()), r.cpuQuota() != 0 ? r.cpuQuota() : null,
        positive(r.cpuPeriod()), r.cpusetCpus().isEmpty() ? null : r.cpusetCpus(),
        r.cpusetMems().isEmpty() ? null : r.cpusetMems());
    MemoryResources memory = r.memoryLimitBytes() > 0
        ? MemoryResources.limit(r.memoryLimitBytes(), positive(r.memorySwapLimitBytes()))
        : null;
    List<HugepageLimit> huge = r.hugepageLimits().entrySet().stream()
        .map(e -> new HugepageLimit(e.getKey(), e.getValue())).toList();
    List<DeviceRule> rules = new ArrayList<>();
    if (c.security().privileged()) {
      rules.add(new DeviceRule(true, "a", null, null, "rwm"));
    } else {
      rules.add(DeviceRule.denyAll());
      rules.addAll(STANDARD_DEVICE_RULES);
      List<LinuxDevice> nodes = devices(c);
      for (int i = 0; i < nodes.size(); i++) {
        LinuxDevice d = nodes.get(i);
        rules.add(new DeviceRule(true, d.type(), d.major(), d.minor(), c.devices().get(i).permissions()));
      }
    }
    return new Resources(rules, memory, cpu, null, null, huge, r.unified());
  }

  /**
   * The nodes the helper creates in every /dev, plus mknod of anything (as Docker allows), /dev/ptmx
   * and the pts. Not /dev/console (5:1), which runc dropped from its list too: a container's console
   * is a bind of its pty (136:*), and allowing 5:1 would let its root mknod and open the host's.
   */
  private static final List<DeviceRule> STANDARD_DEVICE_RULES = List.of(
      new DeviceRule(true, "c", null, null, "m"),
      new DeviceRule(true, "b", null, null, "m"),
      new DeviceRule(true, "c", 1L, 3L, "rwm"),
      new DeviceRule(true, "c", 1L, 5L, "rwm"),
      new DeviceRule(true, "c", 1L, 7L, "rwm"),
      new DeviceRule(true, "c", 1L, 8L, "rwm"),
      new DeviceRule(true, "c", 1L, 9L, "rwm"),
      new DeviceRule(true, "c", 5L, 0L, "rwm"),
      new DeviceRule(true, "c", 5L, 2L, "rwm"),
      new DeviceRule(true, "c", 136L, null, "rwm"));

  private static List<LinuxDevice> devices(ContainerSpec c) {
    List<LinuxDevice> out = new ArrayList<>();
    for (ContainerSpec.DeviceSpec d : c.devices()) {
      Path host = Path.of(d.hostPath());
      if (d.type() != null && d.major() != null && !Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
        out.add(nodeFromSpec(d));
        continue;
      }
      try {
        String type = (String) null;
        Object mode = Files.getAttribute(host, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int m = (Integer) mode;
        type = (m & 0170000) == 0020000 ? "c" : (m & 0170000) == 0060000 ? "b" : null;
        if (type == null) {
          throw new InvalidArgumentException("config.devices: host_path \"" + d.hostPath() + "\" is not a device");
        }
        long rdev = ((Number) Files.getAttribute(host, "unix:rdev")).longValue();
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        int nodeMode = d.fileMode() != null ? d.fileMode() & 07777 : m & 07777;
        if (!d.permissions().contains("r")) {
          nodeMode &= ~0444;
        }
        if (!d.permissions().contains("w")) {
          nodeMode &= ~0222;
        }
        out.add(new LinuxDevice(d.containerPath(), type, major, minor, nodeMode,
            d.uid() != null ? d.uid() : 0L, d.gid() != null ? d.gid() : 0L));
      } catch (IOException e) {
        throw new NotFoundException("config.devices: host_path \"" + d.hostPath() + "\": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * A CDI device node whose host node does not exist, made from the spec's type and numbers, as the
   * CDI specification allows (mode 0666 unless the spec's {@code fileMode} says otherwise, as runc).
   */
  private static LinuxDevice nodeFromSpec(ContainerSpec.DeviceSpec d) {
    String type = d.type().equals("u") ? "c" : d.type();
    if (!type.equals("c") && !type.equals("b")) {
      throw new InvalidArgumentException("CDI device node " + d.containerPath() + ": type \"" + d.type()
          + "\" with no host node " + d.hostPath() + "; only character and block nodes can be made");
    }
    int nodeMode = d.fileMode() != null ? d.fileMode() & 07777 : 0666;
    if (!d.permissions().contains("r")) {
      nodeMode &= ~0444;
    }
    if (!d.permissions().contains("w")) {
      nodeMode &= ~0222;
    }
    return new LinuxDevice(d.containerPath(), type, d.major(), d.minor() != null ? d.minor() : 0L, nodeMode,
        d.uid() != null ? d.uid() : 0L, d.gid() != null ? d.gid() : 0L);
  }

  /** The pod's hostname, for $HOSTNAME; the pod's UTS namespace already carries it, so the spec sets none. */
  private static String hostnameOf(SandboxRecord s) {
    if (!s.spec().hostname().isEmpty()) {
      return s.spec().hostname();
    }
    try {
      return s.filesDir().isEmpty() ? "" : Files.readString(Path.of(s.filesDir(), "hostname")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static Long positive(long v) {
    return v > 0 ? v : null;
  }
}
