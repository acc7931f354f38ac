package dev.kona.runtime.cri;

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
    if (ns.hasUsernsOptions() && ns.getUsernsOptions().getMode() != NamespaceMode.NODE) {
      // Never run a pod that asked for its own user namespace with the host's ids instead.
      throw new dev.kona.common.error.InvalidArgumentException(
          "config.linux.security_context.namespace_options.userns_options.mode " + ns.getUsernsOptions().getMode()
              + ": Kona does not make user namespaces yet (Status runtime_handlers[].features.user_namespaces"
              + " is false); only NODE is accepted");
    }
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
        new SandboxSpec.NamespaceModes(mode(ns.getNetwork()), mode(ns.getPid()), mode(ns.getIpc())),
        security.getPrivileged(),
        runtimeHandler,
        linux.hasOverhead() ? ContainerProtos.resources(linux.getOverhead()) : null,
        linux.hasResources() ? ContainerProtos.resources(linux.getResources()) : null);
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
    NamespaceOption options = NamespaceOption.newBuilder()
        .setNetwork(wire(s.namespaces().network()))
        .setPid(wire(s.namespaces().pid()))
        .setIpc(wire(s.namespaces().ipc()))
        .build();
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

  private static String protocolName(Protocol p) {
    return p == Protocol.UNRECOGNIZED ? "tcp" : p.name().toLowerCase(Locale.ROOT);
  }
}
