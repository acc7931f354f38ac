package dev.kona.cni.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.cni.config.ConfListParser;
import dev.kona.cni.config.NetworkConfigList;
import dev.kona.cni.testing.TestNetwork;
import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plugin execution against real processes: fake plugins are shell scripts in a temp bin dir. */
class PluginInvokerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESULT =
      "{\"cniVersion\": \"1.0.0\", \"ips\": [{\"address\": \"10.9.0.2/24\"}]}";

  private TestNetwork world;
  private CniMetrics metrics;
  private PluginInvoker invoker;

  @BeforeEach
  void setUp() {
    world = TestNetwork.create();
    metrics = new CniMetrics(null);
    invoker =
        new PluginInvoker(
            new PluginLocator(List.of(world.binDir())), new ForkedPluginProcess(), Duration.ofSeconds(2), metrics);
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  private static NetworkConfigList network(String type) {
    return ConfListParser.parse(
        null, "{\"cniVersion\": \"1.0.0\", \"name\": \"n1\", \"plugins\": [{\"type\": \"" + type + "\", \"x\": 1}]}");
  }

  private static RuntimeArgs args() {
    return new RuntimeArgs(
        "sandbox1", "/run/netns/none", "eth0", List.of(Map.entry("IgnoreUnknown", "1"), Map.entry("K8S_POD_NAME", "web")), null);
  }

  private JsonNode add(String type) {
    NetworkConfigList net = network(type);
    ObjectNode config = RequestConfig.forAttachment(net, net.plugins().getFirst(), args(), null);
    return invoker.invoke(net, net.plugins().getFirst(), CniCommand.ADD, args(), config);
  }

  @Test
  void invoke_add_passesEnvironmentAndStdin() throws Exception {
    Path env = world.binDir().resolve("env.txt");
    Path stdin = world.binDir().resolve("stdin.json");
    world.writePlugin("rec", "env > " + env + "\ncat > " + stdin + "\necho '" + RESULT + "'");
    JsonNode result = add("rec");
    assertEquals("10.9.0.2/24", result.at("/ips/0/address").asText());
    List<String> lines = Files.readAllLines(env);
    assertTrue(lines.contains("CNI_COMMAND=ADD"), lines.toString());
    assertTrue(lines.contains("CNI_CONTAINERID=sandbox1"));
    assertTrue(lines.contains("CNI_NETNS=/run/netns/none"));
    assertTrue(lines.contains("CNI_IFNAME=eth0"));
    assertTrue(lines.contains("CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAME=web"));
    assertTrue(lines.contains("CNI_PATH=" + world.binDir()));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("PATH=")));
    JsonNode config = JSON.readTree(stdin.toFile());
    assertEquals("n1", config.get("name").asText());
    assertEquals("1.0.0", config.get("cniVersion").asText());
    assertEquals(1, config.get("x").asInt());
  }

  @Test
  void invoke_del_ignoresStdout() {
    world.writePlugin("quiet", "cat > /dev/null\necho 'not json'");
    NetworkConfigList net = network("quiet");
    assertNull(
        invoker.invoke(
            net, net.plugins().getFirst(), CniCommand.DEL, args(),
            RequestConfig.forAttachment(net, net.plugins().getFirst(), args(), null)));
  }

  @Test
  void invoke_errorResult_codeMsgDetailsAndPluginInMessage() {
    world.writePlugin(
        "failing",
        "cat > /dev/null\necho '{\"cniVersion\": \"1.0.0\", \"code\": 7, \"msg\": \"bad subnet\", \"details\": \"10.0.0.0/31 too small\"}'\nexit 1");
    KonaException e = assertThrows(FailedPreconditionException.class, () -> add("failing"));
    assertEquals(
        "CNI plugin failing ADD (network n1, container sandbox1, eth0): failed with code 7 \"bad subnet\": 10.0.0.0/31 too small",
        e.getMessage());
    assertEquals(1.0, errors("failing", "error"));
  }

  @Test
  void invoke_pluginSpecificCode_internal() {
    world.writePlugin("odd", "cat > /dev/null\necho '{\"code\": 120, \"msg\": \"boom\"}'\nexit 1");
    var e = assertThrows(InternalException.class, () -> add("odd"));
    assertTrue(e.getMessage().contains("code 120 \"boom\""), e.getMessage());
  }

  @Test
  void invoke_hangs_killedWithChildrenAfterTimeout() throws Exception {
    Path pids = world.binDir().resolve("pids");
    world.writePlugin("hang", "echo $$ > " + pids + "\nsleep 600 &\necho $! >> " + pids + "\nwait");
    long start = System.nanoTime();
    var e = assertThrows(DeadlineExceededException.class, () -> add("hang"));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(e.getMessage().startsWith("CNI plugin hang ADD (network n1"), e.getMessage());
    assertTrue(e.getMessage().contains("no answer within 2s"), e.getMessage());
    assertTrue(elapsedMs < 10_000, "returned after " + elapsedMs + " ms");
    for (String pid : Files.readAllLines(pids)) {
      assertFalse(running(Long.parseLong(pid.strip())), "process " + pid + " still runs");
    }
    assertEquals(1.0, errors("hang", "timeout"));
  }

  @Test
  void invoke_garbageOnStdout_namesPlugin() {
    world.writePlugin("garbage", "cat > /dev/null\necho 'hello, I am not JSON'");
    var e = assertThrows(InternalException.class, () -> add("garbage"));
    assertTrue(e.getMessage().startsWith("CNI plugin garbage ADD"), e.getMessage());
    assertTrue(e.getMessage().contains("garbage on stdout instead of a result: \"hello, I am not JSON\""), e.getMessage());
    assertEquals(1.0, errors("garbage", "garbage"));
  }

  @Test
  void invoke_nonZeroWithoutErrorResult_showsStderr() {
    world.writePlugin("crash", "cat > /dev/null\necho 'panic: nil map' >&2\nexit 2");
    var e = assertThrows(InternalException.class, () -> add("crash"));
    assertTrue(e.getMessage().contains("exited with status 2 without an error result, stderr: panic: nil map"), e.getMessage());
  }

  @Test
  void invoke_missingBinary_namesPluginAndDirs() {
    var e = assertThrows(FailedPreconditionException.class, () -> add("absent"));
    assertTrue(e.getMessage().contains("find CNI plugin \"absent\": no executable of that name in " + world.binDir()), e.getMessage());
  }

  private double errors(String plugin, String outcome) {
    Counter c =
        metrics.registry().find("kona.cni.plugin.errors").tag("plugin", plugin).tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  /** Alive and not a zombie waiting for its reaper. */
  private static boolean running(long pid) throws Exception {
    Path stat = Path.of("/proc/" + pid + "/stat");
    for (int i = 0; i < 50; i++) {
      if (!Files.exists(stat)) {
        return false;
      }
      String s;
      try {
        s = Files.readString(stat);
      } catch (java.nio.file.NoSuchFileException gone) {
        return false;
      }
      if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
