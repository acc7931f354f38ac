package dev.kona.cni.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfListParserTest {

  private static final Path FILE = Path.of("/etc/cni/net.d/10-x.conflist");

  @Test
  void parse_conflist() {
    NetworkConfigList list =
        ConfListParser.parse(
            FILE,
            """
            {"cniVersion": "1.0.0", "name": "net1", "disableCheck": "true",
             "plugins": [{"type": "bridge", "keyA": [1, 2]},
                         {"type": "portmap", "capabilities": {"portMappings": true, "ips": false}}]}""");
    assertEquals("net1", list.name());
    assertEquals(CniVersion.parse("1.0.0"), list.cniVersion());
    assertTrue(list.disableCheck());
    assertFalse(list.disableGC());
    assertEquals(2, list.plugins().size());
    assertEquals("bridge", list.plugins().get(0).type());
    assertEquals(2, list.plugins().get(0).raw().get("keyA").size());
    assertEquals(Set.of("portMappings"), list.plugins().get(1).capabilities());
    assertEquals(FILE, list.source());
  }

  @Test
  void parse_cniVersions_picksHighestImplemented() {
    NetworkConfigList list =
        ConfListParser.parse(
            FILE,
            """
            {"cniVersion": "0.4.0", "cniVersions": ["1.0.0", "1.1.0", "2.0.0"], "name": "n",
             "plugins": [{"type": "bridge"}]}""");
    assertEquals(CniVersion.parse("1.1.0"), list.cniVersion());
  }

  @Test
  void parse_singlePluginConf_wrappedInList() {
    NetworkConfigList list =
        ConfListParser.parse(
            Path.of("/x/10-old.conf"), "{\"cniVersion\": \"0.4.0\", \"name\": \"old\", \"type\": \"bridge\"}");
    assertEquals(1, list.plugins().size());
    assertEquals("bridge", list.plugins().getFirst().type());
    NetworkConfigList again = ConfListParser.parse(null, list.json());
    assertEquals("old", again.name());
    assertEquals("bridge", again.plugins().getFirst().type());
  }

  @Test
  void parse_notJson_namesFile() {
    var e = assertThrows(InvalidArgumentException.class, () -> ConfListParser.parse(FILE, "{nope"));
    assertTrue(e.getMessage().startsWith("parse " + FILE + ": not valid JSON"), e.getMessage());
  }

  @Test
  void parse_pluginWithoutType_namesField() {
    var e =
        assertThrows(
            InvalidArgumentException.class,
            () ->
                ConfListParser.parse(
                    FILE, "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [{\"type\": \"a\"}, {}]}"));
    assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("plugins[1].type"), e.getMessage());
  }

  @Test
  void parse_emptyPlugins_fails() {
    var e =
        assertThrows(
            InvalidArgumentException.class,
            () -> ConfListParser.parse(FILE, "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": []}"));
    assertTrue(e.getMessage().contains("plugins: expected a non-empty array"), e.getMessage());
  }

  @Test
  void parse_tooOldVersion_fails() {
    var e =
        assertThrows(
            InvalidArgumentException.class,
            () -> ConfListParser.parse(FILE, "{\"cniVersion\": \"0.2.0\", \"name\": \"n\", \"type\": \"bridge\"}"));
    assertTrue(e.getMessage().contains("0.2.0 is not supported"), e.getMessage());
  }

  @Test
  void parse_badName_fails() {
    var e =
        assertThrows(
            InvalidArgumentException.class,
            () -> ConfListParser.parse(FILE, "{\"cniVersion\": \"1.0.0\", \"name\": \"-x\", \"plugins\": [{\"type\": \"a\"}]}"));
    assertTrue(e.getMessage().contains("name: must match"), e.getMessage());
  }
}
