package dev.kona.cni.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.cni.config.ConfListParser;
import dev.kona.cni.config.NetworkConfigList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestConfigTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final NetworkConfigList NET =
      ConfListParser.parse(
          null,
          """
          {"cniVersion": "1.0.0", "cniVersions": ["0.4.0"], "name": "dbnet",
           "plugins": [{"type": "bridge", "bridge": "cni0", "runtimeConfig": {"stale": 1}},
                       {"type": "portmap", "capabilities": {"portMappings": true, "bandwidth": false}}]}""");

  private static RuntimeArgs args() throws Exception {
    ObjectNode caps =
        (ObjectNode)
            JSON.readTree(
                "{\"portMappings\": [{\"hostPort\": 8080, \"containerPort\": 80, \"protocol\": \"tcp\"}],"
                    + " \"bandwidth\": {\"ingressRate\": 1}}");
    return new RuntimeArgs("abc", "/run/netns/x", "eth0", List.of(Map.entry("K", "V")), caps);
  }

  @Test
  void forAttachment_firstPlugin_injectsNameVersionOnly() throws Exception {
    ObjectNode config = RequestConfig.forAttachment(NET, NET.plugins().get(0), args(), null);
    assertEquals("dbnet", config.get("name").asText());
    assertEquals("1.0.0", config.get("cniVersion").asText());
    assertEquals("cni0", config.get("bridge").asText());
    assertFalse(config.has("prevResult"));
    assertFalse(config.has("runtimeConfig"), "no declared capability, and the file's runtimeConfig is reserved");
  }

  @Test
  void forAttachment_declaredCapability_inRuntimeConfig_capabilitiesStripped() throws Exception {
    JsonNode prev = JSON.readTree("{\"cniVersion\": \"1.0.0\", \"ips\": [{\"address\": \"10.0.0.2/24\"}]}");
    ObjectNode config = RequestConfig.forAttachment(NET, NET.plugins().get(1), args(), prev);
    assertFalse(config.has("capabilities"));
    assertEquals(8080, config.at("/runtimeConfig/portMappings/0/hostPort").asInt());
    assertFalse(config.get("runtimeConfig").has("bandwidth"), "bandwidth is declared false");
    assertEquals(prev, config.get("prevResult"));
  }

  @Test
  void forNetwork_addsExtraKeys() {
    ObjectNode config =
        RequestConfig.forNetwork(
            NET, NET.plugins().get(1), Map.of("cni.dev/valid-attachments", JSON.createArrayNode()));
    assertTrue(config.get("cni.dev/valid-attachments").isArray());
    assertFalse(config.has("capabilities"));
    assertEquals("dbnet", config.get("name").asText());
  }

  @Test
  void cniArgsString_joinsPairs() throws Exception {
    RuntimeArgs a =
        new RuntimeArgs("abc", "", "eth0", List.of(Map.entry("IgnoreUnknown", "1"), Map.entry("K8S_POD_NAME", "p")), null);
    assertEquals("IgnoreUnknown=1;K8S_POD_NAME=p", a.cniArgsString());
  }
}
