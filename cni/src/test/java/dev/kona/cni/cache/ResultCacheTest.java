package dev.kona.cni.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.cni.exec.RuntimeArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultCacheTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static CachedAttachment entry(String id) throws Exception {
    ObjectNode caps = (ObjectNode) JSON.readTree("{\"portMappings\": [{\"hostPort\": 80}]}");
    RuntimeArgs args = new RuntimeArgs(id, "/run/netns/" + id, "eth0", List.of(Map.entry("K8S_POD_NAME", "p")), caps);
    JsonNode result = JSON.readTree("{\"cniVersion\": \"1.0.0\", \"ips\": [{\"address\": \"10.0.0.2/24\"}]}");
    return new CachedAttachment("net", args, "{\"name\": \"net\"}", result);
  }

  @Test
  void put_get_roundTrip_libcniLayout() throws Exception {
    ResultCache cache = new ResultCache(dir);
    cache.put(entry("abc"));
    Path file = dir.resolve("results/net-abc-eth0");
    assertTrue(Files.isRegularFile(file));
    JsonNode onDisk = JSON.readTree(file.toFile());
    assertEquals("cniCacheV1", onDisk.get("kind").asText());
    assertEquals("abc", onDisk.get("containerId").asText());
    assertEquals("{\"name\": \"net\"}", new String(Base64.getDecoder().decode(onDisk.get("config").asText()), StandardCharsets.UTF_8));
    assertEquals("K8S_POD_NAME", onDisk.at("/cniArgs/0/0").asText());
    assertEquals(80, onDisk.at("/capabilityArgs/portMappings/0/hostPort").asInt());
    assertEquals("10.0.0.2/24", onDisk.at("/result/ips/0/address").asText());

    CachedAttachment back = cache.get("net", "abc", "eth0").orElseThrow();
    assertEquals(entry("abc").args(), back.args());
    assertEquals(entry("abc").result(), back.result());
    assertEquals("{\"name\": \"net\"}", back.configJson());
  }

  @Test
  void list_skipsUnreadable_remove_isIdempotent() throws Exception {
    ResultCache cache = new ResultCache(dir);
    cache.put(entry("a1"));
    cache.put(entry("b2"));
    Files.writeString(dir.resolve("results/net-zz-eth0"), "garbage");
    assertEquals(List.of("a1", "b2"), cache.list().stream().map(e -> e.args().containerId()).toList());
    cache.remove("net", "a1", "eth0");
    cache.remove("net", "a1", "eth0");
    assertEquals(List.of("b2"), cache.list().stream().map(e -> e.args().containerId()).toList());
    assertTrue(cache.get("net", "a1", "eth0").isEmpty());
  }

  @Test
  void find_byContainerAndIfName_anyNetwork() throws Exception {
    ResultCache cache = new ResultCache(dir);
    cache.put(entry("abc"));
    cache.put(entry("xabc"));
    assertEquals(List.of("abc"), cache.find("abc", "eth0").stream().map(e -> e.args().containerId()).toList());
    assertEquals(List.of(), cache.find("abc", "eth1"));
  }

  @Test
  void list_noDirectory_empty() {
    assertEquals(List.of(), new ResultCache(dir.resolve("absent")).list());
  }
}
