package dev.kona.runtime.container;

import dev.kona.common.error.InvalidArgumentException;
import java.util.List;
import java.util.Map;

/**
 * What the kubelet asked for in CreateContainer, as Kona keeps it: validated, protobuf-free, and
 * persisted with the container.
 *
 * @param image the image as the kubelet named it (a reference or an image id)
 * @param command replaces the image's ENTRYPOINT when not empty
 * @param args replaces the image's CMD when not empty
 * @param logPath relative to the sandbox's log directory; empty for no log
 * @param stopSignal the CRI stop_signal's name ("SIGUSR1"), empty for the image's or SIGTERM
 */
public record ContainerSpec(
    String name,
    int attempt,
    String image,
    List<String> command,
    List<String> args,
    String workingDir,
    List<EnvVar> envs,
    List<MountSpec> mounts,
    List<DeviceSpec> devices,
    Map<String, String> labels,
    Map<String, String> annotations,
    String logPath,
    boolean stdin,
    boolean stdinOnce,
    boolean tty,
    Resources resources,
    Security security,
    String stopSignal) {

  public ContainerSpec {
    if (name == null || name.isEmpty()) {
      throw new InvalidArgumentException("config.metadata.name is required");
    }
    if (image == null || image.isEmpty()) {
      throw new InvalidArgumentException("config.image.image is required");
    }
    if (attempt < 0) {
      throw new InvalidArgumentException("config.metadata.attempt must be >= 0, got " + attempt);
    }
    command = List.copyOf(command == null ? List.of() : command);
    args = List.copyOf(args == null ? List.of() : args);
    workingDir = workingDir == null ? "" : workingDir;
    envs = List.copyOf(envs == null ? List.of() : envs);
    mounts = List.copyOf(mounts == null ? List.of() : mounts);
    devices = List.copyOf(devices == null ? List.of() : devices);
    labels = Map.copyOf(labels == null ? Map.of() : labels);
    annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
    logPath = logPath == null ? "" : logPath;
    resources = resources == null ? Resources.NONE : resources;
    security = security == null ? Security.DEFAULT : security;
    stopSignal = stopSignal == null ? "" : stopSignal;
    if (stdinOnce && !stdin) {
      stdinOnce = false;
    }
    for (MountSpec m : mounts) {
      if (!m.containerPath().startsWith("/")) {
        throw new InvalidArgumentException(
            "config.mounts: container_path must be absolute, got \"" + m.containerPath() + "\"");
      }
      if (m.hostPath().isEmpty() && !m.isImage()) {
        throw new InvalidArgumentException("config.mounts: host_path of " + m.containerPath() + " is required");
      }
    }
  }

  /** No stop signal of its own: the image's STOPSIGNAL, else SIGTERM. */
  public ContainerSpec(String name, int attempt, String image, List<String> command, List<String> args,
      String workingDir, List<EnvVar> envs, List<MountSpec> mounts, List<DeviceSpec> devices,
      Map<String, String> labels, Map<String, String> annotations, String logPath, boolean stdin, boolean stdinOnce,
      boolean tty, Resources resources, Security security) {
    this(name, attempt, image, command, args, workingDir, envs, mounts, devices, labels, annotations, logPath, stdin,
        stdinOnce, tty, resources, security, "");
  }

  public ContainerSpec withMounts(List<MountSpec> m) {
    return new ContainerSpec(name, attempt, image, command, args, workingDir, envs, m, devices, labels,
        annotations, logPath, stdin, stdinOnce, tty, resources, security, stopSignal);
  }

  public ContainerSpec withResources(Resources r) {
    return new ContainerSpec(name, attempt, image, command, args, workingDir, envs, mounts, devices, labels,
        annotations, logPath, stdin, stdinOnce, tty, r, security, stopSignal);
  }

  /** The key names are reserved under within a pod: name and attempt. */
  public String reservationKey(String sandboxId) {
    return sandboxId + "/" + name + "_" + attempt;
  }

  public record EnvVar(String key, String value) {}

  /**
   * @param propagation private, rslave (HOST_TO_CONTAINER) or rshared (BIDIRECTIONAL)
   * @param recursiveReadOnly every mount below the bind is read-only too (needs readonly and rprivate)
   * @param image for an image volume (KEP-4639): the image as the kubelet named it, mounted
   *     read-only in place of a host path; empty otherwise
   * @param imageRef the id (sha256:…) of the image mounted, filled in by CreateContainer
   * @param imageSubPath only this path inside the image is mounted; empty for all of it
   * @param idMapping the kubelet's uid and gid mapping for an idmapped mount (one range each, the
   *     pod's own), or null for a plain bind
   */
  public record MountSpec(String containerPath, String hostPath, boolean readonly, String propagation,
      boolean recursiveReadOnly, String image, String imageRef, String imageSubPath,
      dev.kona.runtime.sandbox.SandboxSpec.UserNamespace idMapping) {
    public MountSpec {
      containerPath = containerPath == null ? "" : containerPath;
      hostPath = hostPath == null ? "" : hostPath;
      propagation = propagation == null || propagation.isEmpty() ? "rprivate" : propagation;
      image = image == null ? "" : image;
      imageRef = imageRef == null ? "" : imageRef;
      imageSubPath = imageSubPath == null ? "" : imageSubPath;
    }

    public MountSpec(String containerPath, String hostPath, boolean readonly, String propagation,
        boolean recursiveReadOnly) {
      this(containerPath, hostPath, readonly, propagation, recursiveReadOnly, "", "", "", null);
    }

    public MountSpec(String containerPath, String hostPath, boolean readonly, String propagation) {
      this(containerPath, hostPath, readonly, propagation, false);
    }

    /** An image volume: an image mounted read-only, not a host path. */
    public boolean isImage() {
      return !image.isEmpty();
    }

    /** This image volume with the id of the image that was mounted. */
    public MountSpec withImageRef(String ref) {
      return new MountSpec(containerPath, hostPath, readonly, propagation, recursiveReadOnly, image, ref, imageSubPath,
          idMapping);
    }

    /** The bind mount that puts this image volume, mounted on the host at {@code source}, in place. */
    public MountSpec boundFrom(String source) {
      return new MountSpec(containerPath, source, true, propagation, recursiveReadOnly);
    }
  }

  /**
   * @param permissions the device cgroup access, a combination of r, w and m ("rwm" when empty);
   *     the node in the container also loses the read or write bits it is not given
   * @param fileMode the node's mode in the container, null for the host node's (a CDI device node's
   *     {@code fileMode})
   * @param uid the node's owner in the container, null for root
   * @param gid the node's group in the container, null for root
   * @param type the node's type from a CDI spec ({@code c}, {@code u}, {@code b} or {@code p}), with
   *     {@code major} and {@code minor}: the node made when {@code hostPath} does not exist; null
   *     for a host node's own
   */
  public record DeviceSpec(String containerPath, String hostPath, String permissions, Integer fileMode, Long uid,
      Long gid, String type, Long major, Long minor) {
    public DeviceSpec(String containerPath, String hostPath, String permissions) {
      this(containerPath, hostPath, permissions, null, null, null);
    }

    public DeviceSpec(String containerPath, String hostPath, String permissions, Integer fileMode, Long uid, Long gid) {
      this(containerPath, hostPath, permissions, fileMode, uid, gid, null, null, null);
    }

    public DeviceSpec {
      permissions = permissions == null || permissions.isEmpty() ? "rwm" : permissions;
      if (!permissions.matches("[rwm]{1,3}") || permissions.chars().distinct().count() != permissions.length()) {
        throw new InvalidArgumentException("config.devices: permissions of " + containerPath
            + ": expected a combination of r, w and m, got \"" + permissions + "\"");
      }
    }
  }

  /** Linux resources as the CRI carries them; 0 means unset. */
  public record Resources(
      long cpuPeriod,
      long cpuQuota,
      long cpuShares,
      long memoryLimitBytes,
      long memorySwapLimitBytes,
      long oomScoreAdj,
      String cpusetCpus,
      String cpusetMems,
      Map<String, Long> hugepageLimits,
      Map<String, String> unified) {
    public static final Resources NONE = new Resources(0, 0, 0, 0, 0, 0, "", "", Map.of(), Map.of());

    public Resources {
      cpusetCpus = cpusetCpus == null ? "" : cpusetCpus;
      cpusetMems = cpusetMems == null ? "" : cpusetMems;
      hugepageLimits = Map.copyOf(hugepageLimits == null ? Map.of() : hugepageLimits);
      unified = Map.copyOf(unified == null ? Map.of() : unified);
    }
  }

  /**
   * The container's security context.
   *
   * @param runAsUser -1 when unset
   * @param runAsGroup -1 when unset
   * @param seccomp RuntimeDefault, Unconfined, or Localhost with {@code seccompLocalhostRef}
   * @param namespaces pid mode (POD, CONTAINER, NODE, TARGET) and the target container for TARGET
   */
  public record Security(
      boolean privileged,
      List<String> addCapabilities,
      List<String> dropCapabilities,
      List<String> addAmbientCapabilities,
      long runAsUser,
      String runAsUsername,
      long runAsGroup,
      List<Long> supplementalGroups,
      boolean readonlyRootfs,
      boolean noNewPrivs,
      List<String> maskedPaths,
      List<String> readonlyPaths,
      SeccompMode seccomp,
      String seccompLocalhostRef,
      String pidMode,
      String targetId,
      boolean strictSupplementalGroups,
      boolean unmaskedProc) {
    public static final Security DEFAULT = new Security(false, List.of(), List.of(), List.of(), -1, "", -1,
        List.of(), false, false, List.of(), List.of(), SeccompMode.UNCONFINED, "", "CONTAINER", "", false, false);

    /** Without procMount Unmasked (empty path lists then mean the runtime's defaults). */
    public Security(boolean privileged, List<String> addCapabilities, List<String> dropCapabilities,
        List<String> addAmbientCapabilities, long runAsUser, String runAsUsername, long runAsGroup,
        List<Long> supplementalGroups, boolean readonlyRootfs, boolean noNewPrivs, List<String> maskedPaths,
        List<String> readonlyPaths, SeccompMode seccomp, String seccompLocalhostRef, String pidMode, String targetId,
        boolean strictSupplementalGroups) {
      this(privileged, addCapabilities, dropCapabilities, addAmbientCapabilities, runAsUser, runAsUsername, runAsGroup,
          supplementalGroups, readonlyRootfs, noNewPrivs, maskedPaths, readonlyPaths, seccomp, seccompLocalhostRef,
          pidMode, targetId, strictSupplementalGroups, false);
    }

    /** Merge policy: the image's /etc/group memberships of the user are added to supplementalGroups. */
    public Security(boolean privileged, List<String> addCapabilities, List<String> dropCapabilities,
        List<String> addAmbientCapabilities, long runAsUser, String runAsUsername, long runAsGroup,
        List<Long> supplementalGroups, boolean readonlyRootfs, boolean noNewPrivs, List<String> maskedPaths,
        List<String> readonlyPaths, SeccompMode seccomp, String seccompLocalhostRef, String pidMode, String targetId) {
      this(privileged, addCapabilities, dropCapabilities, addAmbientCapabilities, runAsUser, runAsUsername, runAsGroup,
          supplementalGroups, readonlyRootfs, noNewPrivs, maskedPaths, readonlyPaths, seccomp, seccompLocalhostRef,
          pidMode, targetId, false);
    }

    public Security {
      addCapabilities = List.copyOf(addCapabilities == null ? List.of() : addCapabilities);
      dropCapabilities = List.copyOf(dropCapabilities == null ? List.of() : dropCapabilities);
      addAmbientCapabilities = List.copyOf(addAmbientCapabilities == null ? List.of() : addAmbientCapabilities);
      runAsUsername = runAsUsername == null ? "" : runAsUsername;
      supplementalGroups = List.copyOf(supplementalGroups == null ? List.of() : supplementalGroups);
      maskedPaths = List.copyOf(maskedPaths == null ? List.of() : maskedPaths);
      readonlyPaths = List.copyOf(readonlyPaths == null ? List.of() : readonlyPaths);
      seccomp = seccomp == null ? SeccompMode.UNCONFINED : seccomp;
      seccompLocalhostRef = seccompLocalhostRef == null ? "" : seccompLocalhostRef;
      pidMode = pidMode == null || pidMode.isEmpty() ? "CONTAINER" : pidMode;
      targetId = targetId == null ? "" : targetId;
    }
  }

  public enum SeccompMode {
    UNCONFINED,
    RUNTIME_DEFAULT,
    LOCALHOST
  }
}
