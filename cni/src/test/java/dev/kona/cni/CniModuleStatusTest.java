package dev.kona.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.cni.testing.TestNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CNI 1.1 STATUS and GC, argument passing and dual-stack results, against a recording fake plugin
 * (a shell script; Debian's plugins stop at spec 1.0.0). No kernel state is touched.
 */
class CniModuleStatusTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TestNetwork world;
  private Path calls;

  @BeforeEach
  void setUp() throws IOException {
    world = TestNetwork.create();
    calls = Files.createDirectories(world.binDir().resolve("calls"));
    world.writePlugin(
        "kona-rec",
        String.join(
            "\n",
            "input=$(cat)",
            "n=$(ls " + calls + " | grep -c json)",
            "printf '%s' \"$input\" > " + calls + "/$(printf %03d $n)-$CNI_COMMAND.json",
            "env | grep '^CNI_' | sort > " + calls + "/$(printf %03d $n)-$CNI_COMMAND.env",
            "case \"$CNI_COMMAND\" in",
            "  ADD) echo '{\"cniVersion\": \"1.1.0\", \"interfaces\": [{\"name\": \"eth0\", \"sandbox\": \"/run/netns/x\"}],"
                + " \"ips\": [{\"address\": \"fd00::7/64\", \"interface\": 0}, {\"address\": \"10.77.0.7/24\", \"interface\": 0}]}' ;;",
            "  VERSION) echo '{\"cniVersion\": \"1.1.0\", \"supportedVersions\": [\"0.4.0\", \"1.0.0\", \"1.1.0\"]}' ;;",
            "  STATUS) if [ -f " + world.binDir() + "/down ]; then",
            "    echo '{\"cniVersion\": \"1.1.0\", \"code\": 50, \"msg\": \"daemon down\", \"details\": \"no socket\"}'; exit 1; fi ;;",
            "esac",
            "exit 0"));
  }

  @AfterEach
  void cleanUp() {
    world.close();
  }

  private void conflist(String version, String extra) {
    world.writeConf(
        "10-rec.conflist",
        "{\"cniVersion\": \"" + version + "\", \"name\": \"rec\"" + extra + ", \"plugins\": [{\"type\": \"kona-rec\","
            + " \"capabilities\": {\"portMappings\": true, \"bandwidth\": true}}]}");
  }

  private CniModule module() {
    return CniModule.open(CniModuleTest.config(world), Path.of("/nonexistent"), null);
  }

  private List<String> callNames() throws IOException {
    try (Stream<Path> files = Files.list(calls)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
    }
  }

  private JsonNode call(String name) throws IOException {
    return JSON.readTree(calls.resolve(name).toFile());
  }

  /** The fake needs no real netns, only a path that exists. */
  private PodNetworkRequest pod(String id) {
    return new PodNetworkRequest(
        id, "web", "shop", "uid-" + id, world.binDir().resolve("calls"),
        List.of(new PortMapping(8080, 80, "tcp", "")),
        Map.of("kubernetes.io/ingress-bandwidth", "10M"), null, null);
  }

  @Test
  void setUp_netnsMissing_failsBeforeAnyPlugin() throws IOException {
    conflist("1.1.0", "");
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.kona.common.error.FailedPreconditionException.class,
            () -> module().setUp(PodNetworkRequest.of("nons", Path.of("/run/netns/kona-absent"))));
    assertTrue(e.getMessage().contains("netns /run/netns/kona-absent does not exist"), e.getMessage());
    assertEquals(List.of(), callNames());
  }

  @Test
  void tearDown_configReplacedSinceAdd_delsTheOldNetworkWithItsCachedConfig() throws IOException {
    conflist("1.1.0", "");
    module().setUp(pod("moved"));
    Files.delete(world.confDir().resolve("10-rec.conflist"));
    world.writeConf(
        "20-other.conflist",
        "{\"cniVersion\": \"1.1.0\", \"name\": \"other\", \"plugins\": [{\"type\": \"kona-rec\", \"mark\": 2}]}");
    module().tearDown(PodNetworkRequest.of("moved", null));
    assertEquals(List.of("000-ADD.json", "001-DEL.json"), callNames());
    JsonNode del = call("001-DEL.json");
    assertEquals("rec", del.get("name").asText());
    assertFalse(del.has("mark"));
    assertEquals(List.of(), world.cacheEntries());
  }

  @Test
  void setUp_badBandwidthAnnotation_rejected_teardownStillWorks() throws IOException {
    conflist("1.1.0", "");
    PodNetworkRequest bad =
        new PodNetworkRequest(
            "bw1", "web", "shop", "uid", calls, List.of(), Map.of("kubernetes.io/egress-bandwidth", "lots"), null, null);
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.kona.common.error.InvalidArgumentException.class, () -> module().setUp(bad));
    assertTrue(e.getMessage().contains("kubernetes.io/egress-bandwidth"), e.getMessage());
    assertEquals(List.of(), callNames());
    module().tearDown(bad);
    assertEquals(List.of("000-DEL.json"), callNames());
  }

  @Test
  void status_noConfig_notReadyNamingTheDirectory() {
    NetworkStatus status = module().status();
    assertFalse(status.ready());
    assertTrue(status.message().contains(world.confDir().toString()), status.message());
  }

  @Test
  void status_v110PluginNotAvailable_notReadyWithPluginError() throws IOException {
    conflist("1.1.0", "");
    Files.writeString(world.binDir().resolve("down"), "");
    NetworkStatus status = module().status();
    assertFalse(status.ready());
    assertTrue(status.message().contains("CNI plugin kona-rec STATUS (network rec)"), status.message());
    assertTrue(status.message().contains("code 50 \"daemon down\": no socket"), status.message());

    Files.delete(world.binDir().resolve("down"));
    assertTrue(module().status().ready());
  }

  @Test
  void status_v100_noStatusCall() throws IOException {
    conflist("1.0.0", "");
    assertTrue(module().status().ready());
    assertEquals(List.of("000-VERSION.json"), callNames());
  }

  @Test
  void status_pluginOlderThanConflist_notReadyNamingPluginAndVersions() {
    world.writePlugin(
        "kona-old",
        "cat > /dev/null\necho '{\"cniVersion\": \"1.0.0\", \"supportedVersions\": [\"0.4.0\", \"1.0.0\"]}'");
    world.writeConf(
        "10-old.conflist", "{\"cniVersion\": \"1.1.0\", \"name\": \"old\", \"plugins\": [{\"type\": \"kona-old\"}]}");
    NetworkStatus status = module().status();
    assertFalse(status.ready());
    assertTrue(
        status.message().contains("needs CNI 1.1.0, but plugin kona-old supports [0.4.0, 1.0.0]"), status.message());
  }

  @Test
  void setUp_argsAndCapabilities_dualStackIpv4First() throws IOException {
    conflist("1.1.0", "");
    PodNetworkResult result = module().setUp(pod("sb1"));
    assertEquals("10.77.0.7", result.primaryIp());
    assertEquals(List.of("fd00:0:0:0:0:0:0:7"), result.additionalIps());

    List<String> env = Files.readAllLines(calls.resolve("000-ADD.env"));
    assertTrue(
        env.contains("CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web;K8S_POD_INFRA_CONTAINER_ID=sb1;K8S_POD_UID=uid-sb1"),
        env.toString());
    assertTrue(env.contains("CNI_NETNS=" + calls), env.toString());
    assertTrue(env.contains("CNI_IFNAME=eth0"), env.toString());
    JsonNode add = call("000-ADD.json");
    assertEquals(8080, add.at("/runtimeConfig/portMappings/0/hostPort").asInt());
    assertEquals(10_000_000L, add.at("/runtimeConfig/bandwidth/ingressRate").asLong());
    assertFalse(add.has("capabilities"));
  }

  @Test
  void gc_delsStaleWithCachedResult_thenGcWithValidAttachments() throws IOException {
    conflist("1.1.0", "");
    CniModule module = module();
    module.setUp(pod("dead1"));
    module.setUp(pod("live1"));

    module().gc(Set.of("live1"));

    assertEquals(List.of("000-ADD.json", "001-ADD.json", "002-DEL.json", "003-GC.json"), callNames());
    JsonNode del = call("002-DEL.json");
    assertEquals("10.77.0.7/24", del.at("/prevResult/ips/1/address").asText());
    assertEquals(8080, del.at("/runtimeConfig/portMappings/0/hostPort").asInt(), "DEL gets ADD's capability args");
    assertTrue(Files.readString(calls.resolve("002-DEL.env")).contains("CNI_CONTAINERID=dead1"));
    JsonNode gc = call("003-GC.json");
    assertEquals("live1", gc.at("/cni.dev~1valid-attachments/0/containerID").asText());
    assertEquals("eth0", gc.at("/cni.dev~1valid-attachments/0/ifname").asText());
    assertEquals(1, gc.get("cni.dev/valid-attachments").size());
    assertEquals(List.of("rec-live1-eth0"), world.cacheEntries());
  }

  @Test
  void gc_disableGC_onlyDelsStale() throws IOException {
    conflist("1.1.0", ", \"disableGC\": true");
    module().setUp(pod("dead2"));
    module().gc(Set.of());
    assertEquals(List.of("000-ADD.json", "001-DEL.json"), callNames());
    assertEquals(List.of(), world.cacheEntries());
  }

  @Test
  void check_usesCachedResult() throws IOException {
    conflist("1.1.0", "");
    CniModule module = module();
    module.setUp(pod("chk1"));
    module.check(pod("chk1"));
    assertEquals("10.77.0.7/24", call("001-CHECK.json").at("/prevResult/ips/1/address").asText());
  }

  @Test
  void metrics_recordPluginCallsByTypeAndCommand() {
    conflist("1.1.0", "");
    CniModule module = module();
    module.setUp(pod("m1"));
    module.tearDown(pod("m1"));
    var timer = module.metrics().registry().find("kona.cni.plugin").tag("plugin", "kona-rec").tag("command", "ADD").timer();
    assertEquals(1, timer.count());
    assertEquals(1, module.metrics().registry().find("kona.cni.operation").tag("operation", "teardown").timer().count());
  }
}
