package dev.kona.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.cni.config.CniConfig;
import dev.kona.cni.config.ConfListParser;
import dev.kona.cni.config.NetworkConfigList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultNetworkTest {

  @TempDir Path dir;

  private CniConfig config(String v4, String v6) {
    return new CniConfig(dir.resolve("net.d"), null, null, null, 0, v4, v6);
  }

  @Test
  void installIfEmpty_emptyDir_writesBridgePortmapLoopback() throws Exception {
    Path written = DefaultNetwork.installIfEmpty(config("10.250.0.0/16", "fd42:1::/64")).orElseThrow();
    assertEquals(dir.resolve("net.d/99-kona.conflist"), written);
    NetworkConfigList list = ConfListParser.parse(written, Files.readString(written));
    assertEquals("kona", list.name());
    assertEquals(List.of("bridge", "portmap", "loopback"), list.plugins().stream().map(p -> p.type()).toList());
    var bridge = list.plugins().getFirst().raw();
    assertEquals("kona0", bridge.get("bridge").asText());
    assertEquals("10.250.0.0/16", bridge.at("/ipam/ranges/0/0/subnet").asText());
    assertEquals("10.250.0.1", bridge.at("/ipam/ranges/0/0/gateway").asText());
    assertTrue(bridge.at("/ipam/ranges/1/0/subnet").asText().startsWith("fd42:1:"));
    assertTrue(list.plugins().get(1).capabilities().contains("portMappings"));
  }

  @Test
  void installIfEmpty_existingConfig_untouched() throws Exception {
    Files.createDirectories(dir.resolve("net.d"));
    Files.writeString(dir.resolve("net.d/10-other.conf"), "{}");
    assertEquals(Optional.empty(), DefaultNetwork.installIfEmpty(config(null, null)));
    assertEquals(List.of(dir.resolve("net.d/10-other.conf")), Files.list(dir.resolve("net.d")).toList());
  }
}
