package dev.kona.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.cni.config.CniConfig;
import dev.kona.cni.testing.Cmd;
import dev.kona.cni.testing.NetnsLeakCheck;
import dev.kona.cni.testing.TestNetns;
import dev.kona.cni.testing.TestNetwork;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pod networking with Debian's real plugins (bridge, host-local, portmap, loopback) in namespaces
 * the test creates. Needs root. Traffic stays between the host and those namespaces: the test
 * network has no masquerade and no default route.
 */
@ExtendWith(NetnsLeakCheck.class)
class CniModuleTest {

  static final String PORTMAP = "{\"type\": \"portmap\", \"capabilities\": {\"portMappings\": true}}";
  static final String LOOPBACK = "{\"type\": \"loopback\"}";

  private TestNetwork world;
  private final List<TestNetns> namespaces = new ArrayList<>();
  private final List<String> sandboxIds = new ArrayList<>();

  @BeforeEach
  void setUp() {
    world = TestNetwork.create();
    world.writeConflist("1.0.0", PORTMAP, LOOPBACK);
  }

  @AfterEach
  void cleanUp() {
    try {
      CniModule module = module();
      for (String id : sandboxIds) {
        module.tearDown(PodNetworkRequest.of(id, null));
      }
    } finally {
      namespaces.forEach(TestNetns::close);
      world.close();
    }
  }

  CniModule module() {
    return CniModule.open(config(world), Path.of("/nonexistent"), null);
  }

  static CniConfig config(TestNetwork world) {
    return new CniConfig(
        world.confDir(), List.of(world.binDir(), TestNetwork.DEBIAN_PLUGINS), world.cacheDir(), null, 5, null, null);
  }

  private TestNetns netns() {
    TestNetns ns = TestNetns.create();
    namespaces.add(ns);
    return ns;
  }

  private PodNetworkRequest pod(TestNetns ns, PortMapping... ports) {
    String id = "kt" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    sandboxIds.add(id);
    return new PodNetworkRequest(id, "web-" + id, "default", "uid-" + id, ns.path(), List.of(ports), Map.of(), null, null);
  }

  @Test
  void setUp_twoPods_reachEachOtherAndTheHost() {
    CniModule module = module();
    TestNetns ns1 = netns();
    TestNetns ns2 = netns();
    PodNetworkRequest pod1 = pod(ns1);
    PodNetworkRequest pod2 = pod(ns2);

    PodNetworkResult r1 = module.setUp(pod1);
    PodNetworkResult r2 = module.setUp(pod2);

    String prefix = world.gateway().substring(0, world.gateway().lastIndexOf('.') + 1);
    assertTrue(r1.primaryIp().startsWith(prefix), r1.primaryIp());
    assertTrue(r2.primaryIp().startsWith(prefix), r2.primaryIp());
    assertNotEquals(r1.primaryIp(), r2.primaryIp());
    assertEquals(List.of(), r1.additionalIps());
    assertTrue(ns1.exec("ip", "-o", "-4", "addr", "show", "eth0").output().contains(r1.primaryIp() + "/24"));
    assertEquals(2, world.bridgePorts().size());

    assertPing(ns1.exec("busybox", "ping", "-c1", "-W1", r2.primaryIp()));
    assertPing(ns2.exec("busybox", "ping", "-c1", "-W1", r1.primaryIp()));
    assertPing(Cmd.tryRun("busybox", "ping", "-c1", "-W1", r1.primaryIp()));
    assertPing(ns1.exec("busybox", "ping", "-c1", "-W1", "127.0.0.1")); // loopback plugin set lo up

    module.tearDown(pod1);
    module.tearDown(pod2);
    world.assertNothingLeft(sandboxIds);
  }

  /** The new bridge's IPv6 gateway address is tentative until DAD ends (about 1-2 s). */
  private static Cmd.Result pingUntilAnswered(String ip) {
    Cmd.Result ping = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      ping = Cmd.tryRun("busybox", "ping", "-c1", "-W2", ip);
      if (ping.exitCode() == 0) {
        break;
      }
    }
    return ping;
  }

  private static void assertPing(Cmd.Result ping) {
    assertEquals(0, ping.exitCode(), ping.output());
    assertTrue(ping.output().contains("1 packets received"), ping.output());
  }

  /**
   * The shipped default conflist's chain (bridge with hairpin, host-local with two ranges, portmap,
   * loopback), made private: test bridge and subnets, no masquerade, no default routes.
   */
  @Test
  void setUp_defaultConflistChain_dualStack() throws IOException {
    String v6 = "fd4b:" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff)) + "::/64";
    var conflist =
        DefaultNetwork.conflist(new CniConfig(world.confDir(), null, null, null, 0, world.subnet(), v6));
    var bridge = (com.fasterxml.jackson.databind.node.ObjectNode) conflist.get("plugins").get(0);
    bridge.put("bridge", world.bridge()).put("ipMasq", false);
    var ipam = (com.fasterxml.jackson.databind.node.ObjectNode) bridge.get("ipam");
    ipam.remove("routes");
    ipam.put("dataDir", world.ipamDir().toString());
    conflist.put("name", world.networkName());
    Files.delete(world.confDir().resolve("10-test.conflist"));
    world.writeConf("99-kona.conflist", conflist.toString());

    CniModule module = module();
    TestNetns ns = netns();
    PodNetworkRequest pod = pod(ns);
    PodNetworkResult result = module.setUp(pod);

    assertTrue(result.primaryIp().startsWith(world.gateway().substring(0, world.gateway().lastIndexOf('.'))), result.primaryIp());
    assertEquals(1, result.additionalIps().size(), result.ips().toString());
    assertTrue(result.additionalIps().getFirst().startsWith(v6.substring(0, 9)), result.additionalIps().toString());
    assertEquals("", ns.exec("ip", "-4", "route", "show", "default").output().strip(), "no default route");
    assertPing(Cmd.tryRun("busybox", "ping", "-c1", "-W1", result.primaryIp()));
    assertPing(pingUntilAnswered(result.additionalIps().getFirst()));

    module.tearDown(pod);
    world.assertNothingLeft(sandboxIds);
  }

  @Test
  void setUp_hostPort_forwardsToThePod() throws Exception {
    CniModule module = module();
    TestNetns ns = netns();
    int hostPort = 20000 + ThreadLocalRandom.current().nextInt(10000);
    PodNetworkRequest pod = pod(ns, new PortMapping(hostPort, 8080, "tcp", ""));
    module.setUp(pod);
    assertTrue(!TestNetwork.iptablesLinesMentioning(List.of(pod.sandboxId())).isEmpty(), "portmap made no rules");

    Process listener =
        new ProcessBuilder("ip", "netns", "exec", ns.name(), "busybox", "nc", "-l", "-p", "8080")
            .redirectErrorStream(true)
            .start();
    try {
      send(world.gateway(), hostPort, "hello through portmap\n");
      assertTrue(listener.waitFor(10, TimeUnit.SECONDS), "listener did not finish");
      String received = new String(listener.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals("hello through portmap\n", received);
    } finally {
      listener.destroyForcibly();
      listener.waitFor(5, TimeUnit.SECONDS);
    }

    module.tearDown(pod);
    world.assertNothingLeft(sandboxIds);
  }

  /** Connects to the host port, retrying while the listener in the pod starts. */
  private static void send(String host, int port, String text) throws Exception {
    IOException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 1000);
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return;
      } catch (IOException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw new AssertionError("connect " + host + ":" + port, last);
  }

  @Test
  void tearDown_netnsGone_stillReleasesTheIp() {
    CniModule module = module();
    TestNetns ns = netns();
    PodNetworkRequest pod = pod(ns, new PortMapping(20000 + ThreadLocalRandom.current().nextInt(10000), 80, "tcp", ""));
    module.setUp(pod);
    assertEquals(1, world.ipamLeases().size());
    ns.close();
    module.tearDown(pod);
    world.assertNothingLeft(sandboxIds);
  }

  @Test
  void tearDown_cacheEntryGone_stillReleasesTheIp() throws IOException {
    CniModule module = module();
    TestNetns ns = netns();
    PodNetworkRequest pod = pod(ns, new PortMapping(20000 + ThreadLocalRandom.current().nextInt(10000), 80, "tcp", ""));
    module.setUp(pod);
    for (String entry : world.cacheEntries()) {
      Files.delete(world.cacheDir().resolve("results").resolve(entry));
    }
    module.tearDown(pod);
    world.assertNothingLeft(sandboxIds);
  }

  @Test
  void tearDown_afterDaemonRestart_usesTheCachedResult() throws IOException {
    TestNetns ns = netns();
    PodNetworkRequest pod = pod(ns, new PortMapping(20000 + ThreadLocalRandom.current().nextInt(10000), 80, "tcp", ""));
    module().setUp(pod);
    Path cached = world.cacheDir().resolve("results/" + world.networkName() + "-" + pod.sandboxId() + "-eth0");
    assertTrue(Files.readString(cached).contains("\"kind\":\"cniCacheV1\""));

    // A new instance knows only the disk; the runtime passes just the sandbox id and netns.
    module().tearDown(PodNetworkRequest.of(pod.sandboxId(), ns.path()));
    world.assertNothingLeft(sandboxIds);
  }

  @Test
  void tearDown_repeatedAndNeverSetUp_succeed() {
    CniModule module = module();
    TestNetns ns = netns();
    PodNetworkRequest pod = pod(ns);
    module.tearDown(pod); // never set up
    module.setUp(pod);
    module.tearDown(pod);
    module.tearDown(pod);
    world.assertNothingLeft(sandboxIds);
  }

  @Test
  void check_afterSetUp_passes() {
    CniModule module = module();
    TestNetns ns = netns();
    PodNetworkRequest pod = pod(ns);
    module.setUp(pod);
    module.check(pod);
    module.tearDown(pod);
    world.assertNothingLeft(sandboxIds);
  }

  @Test
  void gc_deletesAttachmentsOfDeadSandboxes() {
    CniModule module = module();
    TestNetns ns1 = netns();
    TestNetns ns2 = netns();
    PodNetworkRequest dead = pod(ns1);
    PodNetworkRequest live = pod(ns2);
    module.setUp(dead);
    module.setUp(live);
    assertEquals(2, world.ipamLeases().size());

    module().gc(java.util.Set.of(live.sandboxId()));

    assertEquals(1, world.ipamLeases().size());
    assertEquals(1, world.bridgePorts().size());
    assertEquals(1, world.cacheEntries().size());
    assertTrue(world.cacheEntries().getFirst().contains(live.sandboxId()));
    module.tearDown(live);
    world.assertNothingLeft(sandboxIds);
  }

  @Test
  void setUp_hundredCycles_leaveNothingBehind() {
    CniModule module = module();
    List<Long> addMicros = new ArrayList<>();
    List<Long> delMicros = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      try (TestNetns ns = TestNetns.create()) {
        PodNetworkRequest pod = pod(ns, new PortMapping(20000 + ThreadLocalRandom.current().nextInt(10000), 80, "tcp", ""));
        long t0 = System.nanoTime();
        module.setUp(pod);
        long t1 = System.nanoTime();
        module.tearDown(pod);
        long t2 = System.nanoTime();
        addMicros.add((t1 - t0) / 1000);
        delMicros.add((t2 - t1) / 1000);
      }
    }
    world.assertNothingLeft(sandboxIds);
    for (var timer : module.metrics().registry().find("kona.cni.plugin").timers()) {
      System.out.printf(
          "  plugin %s %s: mean %.1f ms over %d calls%n",
          timer.getId().getTag("plugin"), timer.getId().getTag("command"),
          timer.mean(TimeUnit.MILLISECONDS), timer.count());
    }
    System.out.printf(
        "CNI bridge+portmap+loopback, 100 cycles: ADD p50 %.1f ms p99 %.1f ms; DEL p50 %.1f ms p99 %.1f ms%n",
        percentile(addMicros, 50), percentile(addMicros, 99), percentile(delMicros, 50), percentile(delMicros, 99));
  }

  @Test
  void setUp_twentyPodsInParallel_distinctIpsAndNothingLeft() throws Exception {
    CniModule module = module();
    List<PodNetworkRequest> pods = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pods.add(pod(netns(), new PortMapping(20000 + ThreadLocalRandom.current().nextInt(10000), 80, "tcp", "")));
    }
    List<Long> addMicros = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Long> delMicros = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.Set<String> ips = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(20)) {
      List<java.util.concurrent.Future<?>> adds = new ArrayList<>();
      for (PodNetworkRequest pod : pods) {
        adds.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          ips.add(module.setUp(pod).primaryIp());
          addMicros.add((System.nanoTime() - t0) / 1000);
        }));
      }
      for (var f : adds) {
        f.get();
      }
      assertEquals(20, ips.size(), "every pod gets its own IP");
      assertEquals(20, world.ipamLeases().size());
      List<java.util.concurrent.Future<?>> dels = new ArrayList<>();
      for (PodNetworkRequest pod : pods) {
        dels.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          module.tearDown(pod);
          delMicros.add((System.nanoTime() - t0) / 1000);
        }));
      }
      for (var f : dels) {
        f.get();
      }
    }
    world.assertNothingLeft(sandboxIds);
    System.out.printf(
        "CNI 20 pods in parallel (2 cores): ADD p50 %.1f ms p99 %.1f ms; DEL p50 %.1f ms p99 %.1f ms%n",
        percentile(addMicros, 50), percentile(addMicros, 99), percentile(delMicros, 50), percentile(delMicros, 99));
  }

  static double percentile(List<Long> micros, int p) {
    List<Long> sorted = micros.stream().sorted().toList();
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1000.0;
  }
}
