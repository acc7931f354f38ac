package dev.kona.cni.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.kona.common.error.InvalidArgumentException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CniConfigTest {

  private static final TomlMapper TOML = new TomlMapper();

  private static CniConfig bind(String toml) throws Exception {
    JsonNode section = TOML.readTree(toml).path("cni");
    return TOML.treeToValue(section, CniConfig.class);
  }

  @Test
  void bind_snakeCaseKeys() throws Exception {
    CniConfig config =
        bind(
            """
            [cni]
            conf_dir = "/etc/kona/net.d"
            bin_dirs = ["/opt/x", "/opt/y"]
            cache_dir = "/var/lib/kona-cni"
            network_name = "podnet"
            plugin_timeout_seconds = 7
            default_subnet = "10.250.0.0/16"
            default_subnet_v6 = "fd42::/64"
            """);
    assertEquals(Path.of("/etc/kona/net.d"), config.confDir());
    assertEquals(List.of(Path.of("/opt/x"), Path.of("/opt/y")), config.binDirs());
    assertEquals(Path.of("/var/lib/kona-cni"), config.resolveCacheDir(Path.of("/var/lib/kona")));
    assertEquals("podnet", config.networkName());
    assertEquals(Duration.ofSeconds(7), config.pluginTimeout());
    assertEquals("10.250.0.0/16", config.defaultSubnet());
    assertEquals("fd42::/64", config.defaultSubnetV6());
  }

  @Test
  void bind_emptySection_defaults() throws Exception {
    CniConfig config = bind("[cni]\n");
    assertEquals(CniConfig.defaults(), config);
    assertEquals(Path.of("/etc/cni/net.d"), config.confDir());
    assertEquals(List.of(Path.of("/opt/cni/bin"), Path.of("/usr/lib/cni")), config.binDirs());
    assertEquals(Path.of("/var/lib/kona/cni"), config.resolveCacheDir(Path.of("/var/lib/kona")));
    assertNull(config.networkName());
    assertEquals(Duration.ofSeconds(60), config.pluginTimeout());
    assertEquals("10.244.0.0/16", config.defaultSubnet());
  }

  @Test
  void bind_unknownKey_fails() {
    assertThrows(JsonMappingException.class, () -> bind("[cni]\nconfdir = \"/x\"\n"));
  }

  @Test
  void new_badSubnet_namesTheKey() {
    var e =
        assertThrows(
            InvalidArgumentException.class,
            () -> new CniConfig(null, null, null, null, 0, "10.244.0.1/16", null));
    assertTrue(e.getMessage().contains("cni.default_subnet"), e.getMessage());
    assertTrue(e.getMessage().contains("host bits"), e.getMessage());
  }

  @Test
  void new_badNetworkName_fails() {
    var e =
        assertThrows(
            InvalidArgumentException.class, () -> new CniConfig(null, null, null, "a/b", 0, null, null));
    assertTrue(e.getMessage().contains("cni.network_name"), e.getMessage());
  }
}
