package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.IDMapping;
import dev.kona.cri.api.v1.LinuxPodSandboxStatus;
import dev.kona.cri.api.v1.Namespace;
import dev.kona.cri.api.v1.NamespaceMode;
import dev.kona.cri.api.v1.NamespaceOption;
import dev.kona.cri.api.v1.PodIP;
import dev.kona.cri.api.v1.PodSandbox;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.PodSandboxNetworkStatus;
import dev.kona.cri.api.v1.PodSandboxState;
import dev.kona.cri.api.v1.PodSandboxStatus;
import dev.kona.cri.api.v1.Protocol;
import dev.kona.cri.api.v1.UserNamespace;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.SandboxSpec;
import dev.kona.runtime.sandbox.SandboxState;
import java.util.Locale;

/** Translation between the CRI's sandbox messages and the runtime's records, in one place. */
public final class SandboxProtos {

  private SandboxProtos() {}

  static SandboxSpec toSpec(PodSandboxConfig config, String runtimeHandler) {
    if (!config.hasMetadata()) {
      throw new dev.kona.common.error.InvalidArgumentException("config.metadata is required");
    }
    PodSandboxMetadata m = config.getMetadata();
    var linux = config.getLinux();
    var security = linux.getSecurityContext();
    var ns = security.getNamespaceOptions();
    SandboxSpec.NamespaceModes modes = new SandboxSpec.NamespaceModes(mode(ns.getNetwork()), mode(ns.getPid()), mode(ns.getIpc()));
    SandboxSpec.UserNamespace userns = userNamespace(ns, modes);
    return new SandboxSpec(
        new SandboxSpec.PodMetadata(m.getName(), m.getUid(), m.getNamespace(), m.getAttempt()),
        config.getHostname(),
        config.getLogDirectory(),
        new SandboxSpec.DnsConfig(config.getDnsConfig().getServersList(), config.getDnsConfig().getSearchesList(),
            config.getDnsConfig().getOptionsList()),
        config.getPortMappingsList().stream()
            .map(p -> new SandboxSpec.PortMapping(protocolName(p.getProtocol()), p.getContainerPort(), p.getHostPort(), p.getHostIp()))
            .toList(),
        config.getLabelsMap(),
        config.getAnnotationsMap(),
        linux.getCgroupParent(),
        linux.getSysctlsMap(),
        modes,
        security.getPrivileged(),
        runtimeHandler,
        userns,
        linux.hasOverhead() ? ContainerProtos.resources(linux.getOverhead()) : null,
        linux.hasResources() ? ContainerProtos.resources(linux.getResources()) : null);
  }

  private static final String USERNS = "config.linux.security_context.namespace_options.userns_options";

  /**
   * NODE (or none): the host's ids. POD: the pod's own user namespace with the kubelet's mappings,
   * one range per kind, mapping container id 0 (its root, which the helper becomes when it joins).
   * CONTAINER and TARGET are refused: each container of a pod shares the pod's namespace.
   */
  static SandboxSpec.UserNamespace userNamespace(NamespaceOption ns, SandboxSpec.NamespaceModes modes) {
    if (!ns.hasUsernsOptions()) {
      return null;
    }
    UserNamespace u = ns.getUsernsOptions();
    switch (u.getMode()) {
      case NODE -> {
        return null;
      }
      case POD -> { }
      default -> throw new dev.kona.common.error.InvalidArgumentException(USERNS + ".mode " + u.getMode()
          + ": only NODE (the host's ids) and POD (one user namespace shared by the pod's containers) are supported");
    }
    if (modes.network() == SandboxSpec.NamespaceMode.NODE || modes.ipc() == SandboxSpec.NamespaceMode.NODE
        || modes.pid() == SandboxSpec.NamespaceMode.NODE) {
      throw new dev.kona.common.error.InvalidArgumentException(USERNS + ".mode POD: the pod shares a namespace with"
          + " the node (network, pid or ipc NODE), which a pod user namespace cannot own (hostUsers: false needs"
          + " hostNetwork, hostPID and hostIPC false)");
    }
    return new SandboxSpec.UserNamespace(range(u.getUidsList(), USERNS + ".uids"), range(u.getGidsList(), USERNS + ".gids"));
  }

  private static SandboxSpec.IdRange range(java.util.List<IDMapping> mappings, String field) {
    if (mappings.size() != 1) {
      throw new dev.kona.common.error.InvalidArgumentException(field + ": expected exactly one mapping, got " + mappings.size());
    }
    IDMapping m = mappings.getFirst();
    long container = Integer.toUnsignedLong(m.getContainerId());
    long host = Integer.toUnsignedLong(m.getHostId());
    long length = Integer.toUnsignedLong(m.getLength());
    if (container != 0) {
      throw new dev.kona.common.error.InvalidArgumentException(field + "[0].container_id: the mapping must map"
          + " container id 0 (the pod's root), got container_id " + container);
    }
    if (length == 0 || host + length > 0xFFFFFFFFL) {
      throw new dev.kona.common.error.InvalidArgumentException(field + "[0]: length " + length + " from host_id " + host
          + " is empty or leaves the 32-bit id space");
    }
    if (host == 0) {
      throw new dev.kona.common.error.InvalidArgumentException(field + "[0].host_id: 0 would make the pod's root the"
          + " host's root; expected an unprivileged range");
    }
    return new SandboxSpec.IdRange(container, host, length);
  }

  public static PodSandboxStatus toStatus(SandboxRecord r) {
    SandboxSpec s = r.spec();
    PodSandboxNetworkStatus.Builder network = PodSandboxNetworkStatus.newBuilder();
    if (!r.ips().isEmpty()) {
      network.setIp(r.ips().getFirst());
      for (String ip : r.ips().subList(1, r.ips().size())) {
        network.addAdditionalIps(PodIP.newBuilder().setIp(ip));
      }
    }
    NamespaceOption.Builder optionsBuilder = NamespaceOption.newBuilder()
        .setNetwork(wire(s.namespaces().network()))
        .setPid(wire(s.namespaces().pid()))
        .setIpc(wire(s.namespaces().ipc()));
    if (s.userNamespace() != null) {
      optionsBuilder.setUsernsOptions(wire(s.userNamespace()));
    }
    NamespaceOption options = optionsBuilder.build();
    return PodSandboxStatus.newBuilder()
        .setId(r.id())
        .setMetadata(metadata(s))
        .setState(state(r.state()))
        .setCreatedAt(r.createdAtNanos())
        .setNetwork(network)
        .setLinux(LinuxPodSandboxStatus.newBuilder().setNamespaces(Namespace.newBuilder().setOptions(options)))
        .putAllLabels(s.labels())
        .putAllAnnotations(s.annotations())
        .setRuntimeHandler(s.runtimeHandler())
        .build();
  }

  static PodSandbox toListItem(SandboxRecord r) {
    SandboxSpec s = r.spec();
    return PodSandbox.newBuilder()
        .setId(r.id())
        .setMetadata(metadata(s))
        .setState(state(r.state()))
        .setCreatedAt(r.createdAtNanos())
        .putAllLabels(s.labels())
        .putAllAnnotations(s.annotations())
        .setRuntimeHandler(s.runtimeHandler())
        .build();
  }

  static PodSandboxState state(SandboxState s) {
    return s == SandboxState.READY ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
  }

  private static PodSandboxMetadata metadata(SandboxSpec s) {
    var m = s.metadata();
    return PodSandboxMetadata.newBuilder()
        .setName(m.name()).setUid(m.uid()).setNamespace(m.namespace()).setAttempt(m.attempt()).build();
  }

  private static SandboxSpec.NamespaceMode mode(NamespaceMode m) {
    return switch (m) {
      case POD -> SandboxSpec.NamespaceMode.POD;
      case CONTAINER -> SandboxSpec.NamespaceMode.CONTAINER;
      case NODE -> SandboxSpec.NamespaceMode.NODE;
      case TARGET -> SandboxSpec.NamespaceMode.TARGET;
      case UNRECOGNIZED -> throw new dev.kona.common.error.InvalidArgumentException(
          "config.linux.security_context.namespace_options: unknown namespace mode " + m.getNumber());
    };
  }

  private static NamespaceMode wire(SandboxSpec.NamespaceMode m) {
    return switch (m) {
      case POD -> NamespaceMode.POD;
      case CONTAINER -> NamespaceMode.CONTAINER;
      case NODE -> NamespaceMode.NODE;
      case TARGET -> NamespaceMode.TARGET;
    };
  }

  private static UserNamespace wire(SandboxSpec.UserNamespace u) {
    return UserNamespace.newBuilder().setMode(NamespaceMode.POD)
        .addUids(wire(u.uids())).addGids(wire(u.gids())).build();
  }

  private static IDMapping wire(SandboxSpec.IdRange r) {
    return IDMapping.newBuilder().setContainerId((int) r.containerId()).setHostId((int) r.hostId())
        .setLength((int) r.length()).build();
  }

  private static String protocolName(Protocol p) {
    return p == Protocol.UNRECOGNIZED ? "tcp" : p.name().toLowerCase(Locale.ROOT);
  }
}
