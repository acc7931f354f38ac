package dev.kona.runtime.cri;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.cri.api.v1.Capability;
import dev.kona.cri.api.v1.Container;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerResources;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStatus;
import dev.kona.cri.api.v1.ContainerUser;
import dev.kona.cri.api.v1.HugepageLimit;
import dev.kona.cri.api.v1.LinuxContainerUser;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.LinuxContainerResources;
import dev.kona.cri.api.v1.LinuxContainerSecurityContext;
import dev.kona.cri.api.v1.Mount;
import dev.kona.cri.api.v1.MountPropagation;
import dev.kona.cri.api.v1.SecurityProfile;
import dev.kona.cri.api.v1.Signal;
import dev.kona.cri.api.v1.SupplementalGroupsPolicy;
import dev.kona.engine.ExitStatus;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.ContainerSpec;
import dev.kona.runtime.sandbox.SandboxSpec;
import dev.kona.runtime.container.Signals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/** Translation between the CRI's container messages and the runtime's records, in one place. */
public final class ContainerProtos {

  private ContainerProtos() {}

  /** The label the kubelet puts on every container it creates (kuberuntime's newContainerLabels). */
  static final String KUBELET_CONTAINER_LABEL = "io.kubernetes.container.name";

  /**
   * @param podStrict the pod's LinuxSandboxSecurityContext says SupplementalGroupsPolicy Strict
   */
  static ContainerSpec toSpec(ContainerConfig c, boolean podStrict) {
    return toSpec(c, podStrict, false);
  }

  /** @param podUserNamespace the pod has its own user namespace: procMount Unmasked is allowed */
  static ContainerSpec toSpec(ContainerConfig c, boolean podStrict, boolean podUserNamespace) {
    if (!c.hasMetadata()) {
      throw new InvalidArgumentException("config.metadata is required");
    }
    LinuxContainerResources r = c.getLinux().getResources();
    return new ContainerSpec(
        c.getMetadata().getName(),
        c.getMetadata().getAttempt(),
        c.getImage().getImage(),
        c.getCommandList(),
        c.getArgsList(),
        c.getWorkingDir(),
        c.getEnvsList().stream().map(kv -> new ContainerSpec.EnvVar(kv.getKey(), kv.getValue().toStringUtf8())).toList(),
        mounts(c),
        c.getDevicesList().stream()
            .map(d -> new ContainerSpec.DeviceSpec(d.getContainerPath(), d.getHostPath(), d.getPermissions())).toList(),
        c.getLabelsMap(),
        c.getAnnotationsMap(),
        c.getLogPath(),
        c.getStdin(),
        c.getStdinOnce(),
        c.getTty(),
        resources(r),
        security(c, podStrict, podUserNamespace),
        stopSignal(c.getStopSignal()));
  }

  /** The CRI's Linux resources as Kona keeps them. */
  static ContainerSpec.Resources resources(LinuxContainerResources r) {
    Map<String, Long> huge = new LinkedHashMap<>();
    r.getHugepageLimitsList().forEach(h -> huge.put(h.getPageSize(), h.getLimit()));
    return new ContainerSpec.Resources(r.getCpuPeriod(), r.getCpuQuota(), r.getCpuShares(), r.getMemoryLimitInBytes(),
        r.getMemorySwapLimitInBytes(), r.getOomScoreAdj(), r.getCpusetCpus(), r.getCpusetMems(), huge,
        r.getUnifiedMap());
  }

  /** "SIGUSR1" for SIGNAL_SIGUSR1; empty for SIGNAL_RUNTIME_DEFAULT (the image's, else SIGTERM). */
  private static String stopSignal(Signal s) {
    if (s == Signal.UNRECOGNIZED) {
      throw new InvalidArgumentException("config.stop_signal: unknown signal value");
    }
    return s == Signal.SIGNAL_RUNTIME_DEFAULT ? "" : s.name().substring("SIGNAL_".length());
  }

  private static List<ContainerSpec.MountSpec> mounts(ContainerConfig c) {
    List<ContainerSpec.MountSpec> out = new ArrayList<>();
    for (int i = 0; i < c.getMountsCount(); i++) {
      Mount m = c.getMounts(i);
      if (m.getRecursiveReadOnly()) {
        String field = "config.mounts[" + i + "].recursive_read_only";
        if (!m.getReadonly()) {
          throw new InvalidArgumentException(field + " of " + m.getContainerPath() + " requires readonly to be true");
        }
        if (m.getPropagation() != MountPropagation.PROPAGATION_PRIVATE) {
          throw new InvalidArgumentException(field + " of " + m.getContainerPath()
              + " requires propagation PROPAGATION_PRIVATE, got " + m.getPropagation());
        }
      }
      if (m.hasImage()) {
        checkImageMount(i, m);
      }
      out.add(mount(m, idMapping(m, "config.mounts[" + i + "]")));
    }
    return out;
  }

  /** A mount's uid_mappings and gid_mappings (an idmapped mount): both or neither, one range each. */
  private static SandboxSpec.UserNamespace idMapping(Mount m, String field) {
    if (m.getUidMappingsCount() == 0 && m.getGidMappingsCount() == 0) {
      return null;
    }
    return new SandboxSpec.UserNamespace(range(m.getUidMappingsList(), field + ".uidMappings"),
        range(m.getGidMappingsList(), field + ".gidMappings"));
  }

  private static SandboxSpec.IdRange range(List<dev.kona.cri.api.v1.IDMapping> mappings, String field) {
    if (mappings.size() != 1) {
      throw new InvalidArgumentException(field + ": expected exactly one mapping, got " + mappings.size());
    }
    var r = mappings.getFirst();
    return new SandboxSpec.IdRange(Integer.toUnsignedLong(r.getContainerId()), Integer.toUnsignedLong(r.getHostId()),
        Integer.toUnsignedLong(r.getLength()));
  }

  /** An image volume (KEP-4639) is read-only, names its image, and its sub-path stays inside it. */
  private static void checkImageMount(int i, Mount m) {
    String field = "config.mounts[" + i + "]";
    if (m.getImage().getImage().isEmpty()) {
      throw new InvalidArgumentException(field + ".image.image of " + m.getContainerPath() + " is required");
    }
    if (!m.getReadonly()) {
      throw new InvalidArgumentException(field + ".readonly of image volume " + m.getContainerPath()
          + " (image " + m.getImage().getImage() + ") must be true: image volumes are read-only");
    }
    if (!m.getHostPath().isEmpty()) {
      throw new InvalidArgumentException(field + " of " + m.getContainerPath() + ": host_path and image are exclusive");
    }
    String sub = m.getImageSubPath();
    if (sub.startsWith("/") || java.util.Arrays.asList(sub.split("/")).contains("..")) {
      throw new InvalidArgumentException(field + ".image_sub_path of " + m.getContainerPath()
          + " must be a relative path without \"..\", got \"" + sub + "\"");
    }
  }

  private static ContainerSpec.MountSpec mount(Mount m, SandboxSpec.UserNamespace idMapping) {
    String propagation = switch (m.getPropagation()) {
      case PROPAGATION_HOST_TO_CONTAINER -> "rslave";
      case PROPAGATION_BIDIRECTIONAL -> "rshared";
      default -> "rprivate";
    };
    return new ContainerSpec.MountSpec(m.getContainerPath(), m.getHostPath(), m.getReadonly(), propagation,
        m.getRecursiveReadOnly(), m.hasImage() ? m.getImage().getImage() : "", "", m.getImageSubPath(), idMapping);
  }

  private static ContainerSpec.Security security(ContainerConfig c, boolean podStrict, boolean podUserNamespace) {
    LinuxContainerSecurityContext s = c.getLinux().getSecurityContext();
    boolean unmasked = unmaskedProc(c, s);
    if (unmasked && !podUserNamespace) {
      throw new InvalidArgumentException("config.linux.security_context.masked_paths and readonly_paths are empty"
          + " (procMount: Unmasked): an unmasked /proc needs a pod user namespace (hostUsers: false),"
          + " and this pod has none");
    }
    Capability caps = s.getCapabilities();
    ContainerSpec.SeccompMode mode = ContainerSpec.SeccompMode.UNCONFINED;
    String ref = "";
    if (s.hasSeccomp()) {
      SecurityProfile p = s.getSeccomp();
      switch (p.getProfileType()) {
        case RuntimeDefault -> mode = ContainerSpec.SeccompMode.RUNTIME_DEFAULT;
        case Localhost -> {
          mode = ContainerSpec.SeccompMode.LOCALHOST;
          ref = p.getLocalhostRef();
        }
        default -> mode = ContainerSpec.SeccompMode.UNCONFINED;
      }
    } else {
      String path = s.getSeccompProfilePath();
      if (path.equals("runtime/default") || path.equals("docker/default")) {
        mode = ContainerSpec.SeccompMode.RUNTIME_DEFAULT;
      } else if (path.startsWith("localhost/")) {
        mode = ContainerSpec.SeccompMode.LOCALHOST;
        ref = path.substring("localhost/".length());
      } else if (!path.isEmpty() && !path.equals("unconfined")) {
        throw new InvalidArgumentException(
            "config.linux.security_context.seccomp_profile_path: expected runtime/default, docker/default, unconfined or localhost/<path>, got \"" + path + "\"");
      }
    }
    return new ContainerSpec.Security(
        s.getPrivileged(),
        caps.getAddCapabilitiesList(),
        caps.getDropCapabilitiesList(),
        caps.getAddAmbientCapabilitiesList(),
        s.hasRunAsUser() ? s.getRunAsUser().getValue() : -1,
        s.getRunAsUsername(),
        s.hasRunAsGroup() ? s.getRunAsGroup().getValue() : -1,
        s.getSupplementalGroupsList(),
        s.getReadonlyRootfs(),
        s.getNoNewPrivs(),
        s.getMaskedPathsList(),
        s.getReadonlyPathsList(),
        mode,
        ref,
        s.getNamespaceOptions().getPid().name(),
        s.getNamespaceOptions().getTargetId(),
        podStrict || s.getSupplementalGroupsPolicy() == SupplementalGroupsPolicy.Strict,
        unmasked);
  }

  /**
   * ProcMount Unmasked (KEP-4265) reaches the runtime only as empty masked_paths and readonly_paths:
   * for procMount Default the kubelet always sends its default lists. It is allowed only in a pod
   * with its own user namespace (then the empty lists are honoured: no masked or read-only /proc
   * paths), so a kubelet's (labelled) container that asks for it in any other pod is refused. Other
   * clients (crictl, critest) leave both lists empty to mean the runtime's defaults, and get them.
   */
  private static boolean unmaskedProc(ContainerConfig c, LinuxContainerSecurityContext s) {
    return !s.getPrivileged() && s.getMaskedPathsCount() == 0 && s.getReadonlyPathsCount() == 0
        && c.containsLabels(KUBELET_CONTAINER_LABEL);
  }

  static ContainerState state(dev.kona.engine.ContainerState s) {
    return switch (s.status()) {
      case CREATED -> ContainerState.CONTAINER_CREATED;
      case RUNNING -> ContainerState.CONTAINER_RUNNING;
      case STOPPED -> ContainerState.CONTAINER_EXITED;
      case UNKNOWN -> ContainerState.CONTAINER_UNKNOWN;
    };
  }

  public static ContainerStatus toStatus(ContainerRecord r, dev.kona.engine.ContainerState s) {
    ContainerSpec spec = r.spec();
    ContainerStatus.Builder b = ContainerStatus.newBuilder()
        .setId(r.id())
        .setMetadata(ContainerMetadata.newBuilder().setName(spec.name()).setAttempt(spec.attempt()))
        .setState(state(s))
        .setCreatedAt(r.createdAtNanos())
        .setImage(ImageSpec.newBuilder().setImage(spec.image()))
        .setImageRef(r.imageRef())
        .setImageId(r.imageRef())
        .putAllLabels(spec.labels())
        .putAllAnnotations(spec.annotations())
        .setLogPath(r.logPath())
        .setResources(ContainerResources.newBuilder().setLinux(resources(spec.resources())));
    if (s.startedAt() != null) {
      b.setStartedAt(nanos(s.startedAt()));
    }
    ExitStatus exit = s.exit();
    if (exit != null) {
      b.setFinishedAt(nanos(exit.finishedAt())).setExitCode(exit.code()).setReason(exit.reason());
    }
    if (!r.startError().isEmpty() && s.startedAt() == null) {
      b.setReason("StartError").setMessage(r.startError());
    }
    String stop = Signals.toCri(r.stopSignal());
    if (!stop.isEmpty()) {
      b.setStopSignal(Signal.valueOf("SIGNAL_" + stop));
    }
    LinuxContainerUser user = ProcessIdentity.of(r, s.status() == dev.kona.engine.ContainerStatus.RUNNING ? s.pid() : 0);
    if (user != null) {
      b.setUser(ContainerUser.newBuilder().setLinux(user));
    }
    for (ContainerSpec.MountSpec m : spec.mounts()) {
      Mount.Builder mount = Mount.newBuilder()
          .setContainerPath(m.containerPath())
          .setHostPath(m.hostPath())
          .setReadonly(m.readonly())
          .setRecursiveReadOnly(m.recursiveReadOnly())
          .setPropagation(switch (m.propagation()) {
            case "rslave" -> MountPropagation.PROPAGATION_HOST_TO_CONTAINER;
            case "rshared" -> MountPropagation.PROPAGATION_BIDIRECTIONAL;
            default -> MountPropagation.PROPAGATION_PRIVATE;
          });
      if (m.isImage()) {
        // KEP-5365: the reference asked for and the digest (image id) of what was mounted.
        mount.setImage(ImageSpec.newBuilder().setImage(m.image()).setImageRef(m.imageRef()))
            .setImageSubPath(m.imageSubPath());
      }
      b.addMounts(mount);
    }
    return b.build();
  }

  /**
   * The resources in force: the record's, which CreateContainer sets and UpdateContainerResources
   * replaces only after every cgroup write succeeded (as containerd reports them).
   */
  private static LinuxContainerResources resources(ContainerSpec.Resources r) {
    LinuxContainerResources.Builder b = LinuxContainerResources.newBuilder()
        .setCpuPeriod(r.cpuPeriod())
        .setCpuQuota(r.cpuQuota())
        .setCpuShares(r.cpuShares())
        .setMemoryLimitInBytes(r.memoryLimitBytes())
        .setMemorySwapLimitInBytes(r.memorySwapLimitBytes())
        .setOomScoreAdj(r.oomScoreAdj())
        .setCpusetCpus(r.cpusetCpus())
        .setCpusetMems(r.cpusetMems())
        .putAllUnified(r.unified());
    r.hugepageLimits().forEach((size, limit) ->
        b.addHugepageLimits(HugepageLimit.newBuilder().setPageSize(size).setLimit(limit)));
    return b.build();
  }

  static Container toListItem(ContainerRecord r, dev.kona.engine.ContainerState s) {
    ContainerSpec spec = r.spec();
    return Container.newBuilder()
        .setId(r.id())
        .setPodSandboxId(r.sandboxId())
        .setMetadata(ContainerMetadata.newBuilder().setName(spec.name()).setAttempt(spec.attempt()))
        .setImage(ImageSpec.newBuilder().setImage(spec.image()))
        .setImageRef(r.imageRef())
        .setImageId(r.imageRef())
        .setState(state(s))
        .setCreatedAt(r.createdAtNanos())
        .putAllLabels(spec.labels())
        .putAllAnnotations(spec.annotations())
        .build();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
