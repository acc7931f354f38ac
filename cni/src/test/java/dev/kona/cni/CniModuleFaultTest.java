package dev.kona.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.cni.config.CniConfig;
import dev.kona.cni.testing.NetnsLeakCheck;
import dev.kona.cni.testing.TestNetns;
import dev.kona.cni.testing.TestNetwork;
import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.UnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults in a chain after the real bridge plugin: the bridge has made a veth and host-local has
 * leased an IP by the time the fake plugin fails, so "nothing leaks" proves the DEL that undoes a
 * failed ADD. Needs root.
 */
@ExtendWith(NetnsLeakCheck.class)
class CniModuleFaultTest {

  /** A chained fake whose DEL succeeds; {@code onAdd} is the shell for ADD. */
  private static String fake(String onAdd) {
    return "input=$(cat)\ncase \"$CNI_COMMAND\" in\n  ADD)\n" + onAdd + "\n  ;;\nesac\nexit 0";
  }

  private TestNetwork world;
  private TestNetns ns;
  private final List<String> sandboxIds = new ArrayList<>();

  @BeforeEach
  void setUp() {
    world = TestNetwork.create();
    ns = TestNetns.create();
  }

  @AfterEach
  void cleanUp() {
    try {
      for (String id : sandboxIds) {
        try {
          module(5).tearDown(PodNetworkRequest.of(id, ns.path()));
        } catch (RuntimeException e) {
          // The test's own assertions report leaks; cleanup goes on.
        }
      }
    } finally {
      ns.close();
      world.close();
    }
  }

  private CniModule module(int timeoutSeconds) {
    CniConfig config =
        new CniConfig(
            world.confDir(),
            List.of(world.binDir(), TestNetwork.DEBIAN_PLUGINS),
            world.cacheDir(),
            null,
            timeoutSeconds,
            null,
            null);
    return CniModule.open(config, Path.of("/nonexistent"), null);
  }

  private PodNetworkRequest pod() {
    String id = "kf" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    sandboxIds.add(id);
    return new PodNetworkRequest(
        id, "p", "default", "uid", ns.path(), List.of(new PortMapping(20000 + ThreadLocalRandom.current().nextInt(10000), 80, "tcp", "")), Map.of(), null, null);
  }

  private String chainWith(String type) {
    world.writeConflist("1.0.0", CniModuleTest.PORTMAP, "{\"type\": \"" + type + "\"}");
    return type;
  }

  @Test
  void setUp_pluginReturnsError_errorReachesCallerAndDelUndoesBridge() {
    chainWith("kona-fail");
    world.writePlugin(
        "kona-fail",
        fake("echo '{\"cniVersion\": \"1.0.0\", \"code\": 120, \"msg\": \"no quota\", \"details\": \"pool empty\"}'; exit 1"));
    PodNetworkRequest pod = pod();
    var e = assertThrows(InternalException.class, () -> module(5).setUp(pod));
    assertEquals(
        "set up network of sandbox " + pod.sandboxId() + ": CNI plugin kona-fail ADD (network " + world.networkName()
            + ", container " + pod.sandboxId() + ", eth0): failed with code 120 \"no quota\": pool empty",
        e.getMessage());
    world.assertNothingLeft(sandboxIds);
  }

  @Test
  void setUp_pluginHangs_killedAndUndone() {
    chainWith("kona-hang");
    world.writePlugin("kona-hang", fake("sleep 600 &\nwait"));
    PodNetworkRequest pod = pod();
    var e = assertThrows(DeadlineExceededException.class, () -> module(2).setUp(pod));
    assertTrue(e.getMessage().contains("CNI plugin kona-hang ADD"), e.getMessage());
    assertTrue(e.getMessage().contains("no answer within 2s"), e.getMessage());
    world.assertNothingLeft(sandboxIds);
  }

  @Test
  void setUp_pluginPrintsGarbage_clearErrorAndUndone() {
    chainWith("kona-garbage");
    world.writePlugin("kona-garbage", fake("echo '<html>502 Bad Gateway</html>'"));
    PodNetworkRequest pod = pod();
    var e = assertThrows(InternalException.class, () -> module(5).setUp(pod));
    assertTrue(e.getMessage().contains("CNI plugin kona-garbage ADD"), e.getMessage());
    assertTrue(e.getMessage().contains("garbage on stdout instead of a result: \"<html>502 Bad Gateway</html>\""), e.getMessage());
    world.assertNothingLeft(sandboxIds);
  }

  @Test
  void setUp_pluginBinaryMissing_nothingRuns() {
    chainWith("kona-absent");
    PodNetworkRequest pod = pod();
    CniModule module = module(5);
    var e = assertThrows(FailedPreconditionException.class, () -> module.setUp(pod));
    assertTrue(e.getMessage().contains("find CNI plugin \"kona-absent\""), e.getMessage());
    assertTrue(e.getMessage().contains("10-test.conflist"), e.getMessage());
    NetworkStatus status = module.status();
    assertFalse(status.ready());
    assertTrue(status.message().contains("kona-absent"), status.message());
    world.assertNothingLeft(sandboxIds);
  }

  @Test
  void status_conflistNewerThanDebianPlugins_notReady() {
    world.writeConflist("1.1.0", CniModuleTest.PORTMAP);
    NetworkStatus status = module(5).status();
    assertFalse(status.ready());
    assertTrue(status.message().contains("needs CNI 1.1.0, but plugin bridge supports ["), status.message());
    world.writeConflist("1.0.0", CniModuleTest.PORTMAP);
    assertTrue(module(5).status().ready(), module(5).status().message());
  }

  @Test
  void setUp_malformedConflist_namesTheFile() {
    world.writeConf("10-broken.conflist", "{\"cniVersion\": \"1.0.0\", \"name\": \"x\", \"plugins\": [");
    PodNetworkRequest pod = pod();
    CniModule module = module(5);
    var e = assertThrows(FailedPreconditionException.class, () -> module.setUp(pod));
    assertTrue(e.getMessage().contains("network not ready"), e.getMessage());
    assertTrue(e.getMessage().contains(world.confDir().resolve("10-broken.conflist") + ": not valid JSON"), e.getMessage());
    NetworkStatus status = module.status();
    assertFalse(status.ready());
    assertEquals(NetworkStatus.NOT_READY, status.reason());
    assertTrue(status.message().contains("10-broken.conflist"), status.message());
    world.assertNothingLeft(sandboxIds);
  }

  @Test
  void tearDown_pluginDelFails_errorPropagatesAndRetryReleases() {
    chainWith("kona-deny");
    String denyingDel =
        "input=$(cat)\ncase \"$CNI_COMMAND\" in\n"
            + "  ADD) echo '{\"cniVersion\": \"1.0.0\"}' ;;\n"
            + "  DEL) echo '{\"code\": 11, \"msg\": \"busy\", \"details\": \"retry later\"}'; exit 1 ;;\n"
            + "esac\nexit 0";
    world.writePlugin("kona-deny", denyingDel);
    PodNetworkRequest pod = pod();
    CniModule module = module(5);
    module.setUp(pod);

    var e = assertThrows(UnavailableException.class, () -> module.tearDown(pod));
    assertTrue(e.getMessage().contains("CNI plugin kona-deny DEL"), e.getMessage());
    assertTrue(e.getMessage().contains("code 11 \"busy\": retry later"), e.getMessage());
    assertEquals(1, world.ipamLeases().size(), "DEL halts at the failing plugin; the kubelet retries");
    assertEquals(1, world.cacheEntries().size(), "the cache entry stays for the retry");

    world.writePlugin("kona-deny", fake("echo '{\"cniVersion\": \"1.0.0\"}'"));
    module.tearDown(pod);
    world.assertNothingLeft(sandboxIds);
  }
}
