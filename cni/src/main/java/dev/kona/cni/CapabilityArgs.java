package dev.kona.cni;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The capability arguments Kona offers for a pod, by CNI convention name. A plugin sees in its
 * runtimeConfig only those it declares in {@code capabilities}.
 */
final class CapabilityArgs {

  static final String INGRESS_BANDWIDTH = "kubernetes.io/ingress-bandwidth";
  static final String EGRESS_BANDWIDTH = "kubernetes.io/egress-bandwidth";
  /** Burst when only a rate is given, as containerd sets it: effectively unlimited. */
  private static final long UNLIMITED_BURST = 0xFFFF_FFFFL;

  private CapabilityArgs() {}

  static ObjectNode of(PodNetworkRequest request) {
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    List<PortMapping> published = request.portMappings().stream().filter(p -> p.hostPort() > 0).toList();
    if (!published.isEmpty()) {
      ArrayNode mappings = args.putArray("portMappings");
      for (PortMapping p : published) {
        ObjectNode m =
            mappings
                .addObject()
                .put("hostPort", p.hostPort())
                .put("containerPort", p.containerPort())
                .put("protocol", p.protocol());
        if (!p.hostIp().isEmpty()) {
          m.put("hostIP", p.hostIp());
        }
      }
    }
    ObjectNode bandwidth = bandwidth(request.annotations());
    if (!bandwidth.isEmpty()) {
      args.set("bandwidth", bandwidth);
    }
    if (request.dns() != null) {
      ObjectNode dns = args.putObject("dns");
      request.dns().servers().forEach(dns.putArray("servers")::add);
      request.dns().searches().forEach(dns.putArray("searches")::add);
      request.dns().options().forEach(dns.putArray("options")::add);
    }
    if (request.cgroupParent() != null && !request.cgroupParent().isEmpty()) {
      args.put("cgroupPath", request.cgroupParent());
    }
    if (!request.annotations().isEmpty()) {
      // containerd passes the pod's annotations under this name; some plugins read them.
      ObjectNode annotations = args.putObject("io.kubernetes.cri.pod-annotations");
      request.annotations().forEach(annotations::put);
    }
    return args;
  }

  private static ObjectNode bandwidth(Map<String, String> annotations) {
    ObjectNode bandwidth = JsonNodeFactory.instance.objectNode();
    String ingress = annotations.get(INGRESS_BANDWIDTH);
    if (ingress != null) {
      bandwidth.put("ingressRate", BandwidthQuantity.bitsPerSecond(INGRESS_BANDWIDTH, ingress));
      bandwidth.put("ingressBurst", UNLIMITED_BURST);
    }
    String egress = annotations.get(EGRESS_BANDWIDTH);
    if (egress != null) {
      bandwidth.put("egressRate", BandwidthQuantity.bitsPerSecond(EGRESS_BANDWIDTH, egress));
      bandwidth.put("egressBurst", UNLIMITED_BURST);
    }
    return bandwidth;
  }
}
