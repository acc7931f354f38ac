package dev.kona.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapabilityArgsTest {

  @Test
  void of_podRequest() {
    PodNetworkRequest request =
        new PodNetworkRequest(
            "sb1",
            "web",
            "default",
            "uid-1",
            Path.of("/run/netns/x"),
            List.of(new PortMapping(8080, 80, "TCP", ""), new PortMapping(0, 81, "udp", "")),
            Map.of("kubernetes.io/ingress-bandwidth", "1M", "kubernetes.io/egress-bandwidth", "2M"),
            new PodDns(List.of("10.96.0.10"), List.of("svc.cluster.local"), List.of("ndots:5")),
            "/kubepods/pod-uid-1");
    ObjectNode args = CapabilityArgs.of(request);
    assertEquals(1, args.get("portMappings").size(), "host port 0 is not published");
    assertEquals("tcp", args.at("/portMappings/0/protocol").asText());
    assertFalse(args.at("/portMappings/0").has("hostIP"));
    assertEquals(1_000_000L, args.at("/bandwidth/ingressRate").asLong());
    assertEquals(2_000_000L, args.at("/bandwidth/egressRate").asLong());
    assertEquals(0xFFFF_FFFFL, args.at("/bandwidth/egressBurst").asLong());
    assertEquals("10.96.0.10", args.at("/dns/servers/0").asText());
    assertEquals("ndots:5", args.at("/dns/options/0").asText());
    assertEquals("/kubepods/pod-uid-1", args.get("cgroupPath").asText());
    assertEquals("1M", args.at("/io.kubernetes.cri.pod-annotations/kubernetes.io~1ingress-bandwidth").asText());
  }

  @Test
  void of_bareRequest_empty() {
    assertEquals(0, CapabilityArgs.of(PodNetworkRequest.of("sb1", null)).size());
  }
}
