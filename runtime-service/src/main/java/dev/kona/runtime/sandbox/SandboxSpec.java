package dev.kona.runtime.sandbox;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.runtime.container.ContainerSpec;
import java.util.List;
import java.util.Map;

/**
 * What the kubelet asked for in RunPodSandbox, as Kona keeps it: validated, protobuf-free, and
 * persisted with the sandbox so a restarted daemon can answer status and tear it down.
 *
 * @param logDirectory where the kubelet wants container logs, empty when it gave none
 * @param cgroupParent the pod cgroup as the kubelet names it (cgroupfs path or systemd slice)
 * @param sysctls namespaced sysctls applied in the pod's own namespaces
 * @param userNamespace the pod's own user namespace (userns_options mode POD), or null: the node's
 * @param overhead the pod's overhead (LinuxPodSandboxConfig.overhead), as the kubelet last gave it;
 *     recorded, not applied (the kubelet owns the pod cgroup)
 * @param resources the pod-level resources (KEP-2837), as the kubelet last gave them
 *     (RunPodSandbox, then UpdatePodSandboxResources); recorded, not applied
 */
public record SandboxSpec(
    PodMetadata metadata,
    String hostname,
    String logDirectory,
    DnsConfig dns,
    List<PortMapping> portMappings,
    Map<String, String> labels,
    Map<String, String> annotations,
    String cgroupParent,
    Map<String, String> sysctls,
    NamespaceModes namespaces,
    boolean privileged,
    String runtimeHandler,
    UserNamespace userNamespace,
    ContainerSpec.Resources overhead,
    ContainerSpec.Resources resources) {

  /** No user namespace, pod-level resources or overhead. */
  public SandboxSpec(PodMetadata metadata, String hostname, String logDirectory, DnsConfig dns,
      List<PortMapping> portMappings, Map<String, String> labels, Map<String, String> annotations,
      String cgroupParent, Map<String, String> sysctls, NamespaceModes namespaces, boolean privileged,
      String runtimeHandler) {
    this(metadata, hostname, logDirectory, dns, portMappings, labels, annotations, cgroupParent, sysctls, namespaces,
        privileged, runtimeHandler, null, null, null);
  }

  public SandboxSpec withResources(ContainerSpec.Resources newOverhead, ContainerSpec.Resources newResources) {
    return new SandboxSpec(metadata, hostname, logDirectory, dns, portMappings, labels, annotations, cgroupParent,
        sysctls, namespaces, privileged, runtimeHandler, userNamespace, newOverhead, newResources);
  }

  public SandboxSpec {
    if (metadata == null) {
      throw new InvalidArgumentException("config.metadata is required");
    }
    hostname = hostname == null ? "" : hostname;
    logDirectory = logDirectory == null ? "" : logDirectory;
    dns = dns == null ? DnsConfig.NONE : dns;
    portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    cgroupParent = cgroupParent == null ? "" : cgroupParent;
    sysctls = sysctls == null ? Map.of() : Map.copyOf(sysctls);
    namespaces = namespaces == null ? NamespaceModes.POD_DEFAULTS : namespaces;
    runtimeHandler = runtimeHandler == null ? "" : runtimeHandler;
    overhead = overhead == null ? ContainerSpec.Resources.NONE : overhead;
    resources = resources == null ? ContainerSpec.Resources.NONE : resources;
  }

  public boolean hostNetwork() {
    return namespaces.network() == NamespaceMode.NODE;
  }

  /** The pod identity the kubelet uses; unique while the sandbox exists. */
  public record PodMetadata(String name, String uid, String namespace, int attempt) {
    public PodMetadata {
      require(name, "config.metadata.name");
      require(uid, "config.metadata.uid");
      require(namespace, "config.metadata.namespace");
      if (attempt < 0) {
        throw new InvalidArgumentException("config.metadata.attempt must be >= 0, got " + attempt);
      }
    }

    /** The key containerd and CRI-O reserve: name_namespace_uid_attempt. */
    public String reservationKey() {
      return name + "_" + namespace + "_" + uid + "_" + attempt;
    }

    private static void require(String value, String field) {
      if (value == null || value.isEmpty()) {
        throw new InvalidArgumentException(field + " is required");
      }
    }
  }

  /** The pod's resolv.conf; {@link #NONE} means the host's. */
  public record DnsConfig(List<String> servers, List<String> searches, List<String> options) {
    public static final DnsConfig NONE = new DnsConfig(List.of(), List.of(), List.of());

    public DnsConfig {
      servers = servers == null ? List.of() : List.copyOf(servers);
      searches = searches == null ? List.of() : List.copyOf(searches);
      options = options == null ? List.of() : List.copyOf(options);
    }

    public boolean isEmpty() {
      return servers.isEmpty() && searches.isEmpty() && options.isEmpty();
    }
  }

  /** A hostPort the pod asks for; carried out by the CNI portmap plugin. */
  public record PortMapping(String protocol, int containerPort, int hostPort, String hostIp) {}

  /** Which namespaces the pod shares with the node (NODE) or keeps for itself (POD). */
  public record NamespaceModes(NamespaceMode network, NamespaceMode pid, NamespaceMode ipc) {
    public static final NamespaceModes POD_DEFAULTS =
        new NamespaceModes(NamespaceMode.POD, NamespaceMode.CONTAINER, NamespaceMode.POD);
  }

  /** One range of a user namespace's uid_map or gid_map: container ids from {@code containerId} on. */
  public record IdRange(long containerId, long hostId, long length) {
    /** The line the kernel's uid_map and gid_map files take. */
    public String mapLine() {
      return containerId + " " + hostId + " " + length + "\n";
    }
  }

  /**
   * The pod's own user namespace: one uid range and one gid range, each mapping container id 0
   * (checked where the request enters, {@code SandboxProtos}).
   */
  public record UserNamespace(IdRange uids, IdRange gids) {
    public UserNamespace {
      if (uids == null || gids == null) {
        throw new InvalidArgumentException("user namespace: uid and gid mappings are required");
      }
    }

    /** The host uid of the container's root. */
    public long hostRootUid() {
      return uids.hostId();
    }

    public long hostRootGid() {
      return gids.hostId();
    }
  }

  /** The CRI NamespaceMode values. */
  public enum NamespaceMode {
    POD,
    CONTAINER,
    NODE,
    TARGET
  }
}
