package dev.kona.cni;

import dev.kona.cni.config.NetworkName;
import dev.kona.common.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the runtime knows about a pod sandbox when it sets up or tears down its network.
 *
 * @param sandboxId the sandbox id, used as CNI_CONTAINERID and K8S_POD_INFRA_CONTAINER_ID
 * @param podName metadata.name
 * @param podNamespace metadata.namespace
 * @param podUid metadata.uid
 * @param netnsPath the pinned netns (e.g. /run/netns/kona-…); null on teardown when it is gone
 * @param portMappings host ports to publish (portmap)
 * @param annotations pod annotations; kubernetes.io/ingress-bandwidth and egress-bandwidth become
 *     the bandwidth capability
 * @param dns the pod's DNS config, or null
 * @param cgroupParent the pod's cgroup parent (cgroupPath capability), or null
 */
public record PodNetworkRequest(
    String sandboxId,
    String podName,
    String podNamespace,
    String podUid,
    Path netnsPath,
    List<PortMapping> portMappings,
    Map<String, String> annotations,
    PodDns dns,
    String cgroupParent) {

  public PodNetworkRequest {
    if (!NetworkName.isValid(sandboxId)) {
      throw new InvalidArgumentException(
          "pod network request sandbox_id must match [A-Za-z0-9][A-Za-z0-9_.-]*, got \"" + sandboxId + "\"");
    }
    podName = podName == null ? "" : podName;
    podNamespace = podNamespace == null ? "" : podNamespace;
    podUid = podUid == null ? "" : podUid;
    portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** A request with just the ids, for teardown when nothing else is known. */
  public static PodNetworkRequest of(String sandboxId, Path netnsPath) {
    return new PodNetworkRequest(sandboxId, "", "", "", netnsPath, List.of(), Map.of(), null, null);
  }
}
