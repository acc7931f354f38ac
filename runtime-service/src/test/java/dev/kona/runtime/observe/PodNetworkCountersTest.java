package dev.kona.runtime.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.linux.ns.NamespaceType;
import dev.kona.linux.ns.Namespaces;
import dev.kona.linux.syscall.LinuxSyscalls;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kernel test (root): counters read inside a real network namespace, not the host's. */
class PodNetworkCountersTest {

  private final String name = "kona-obs-" + UUID.randomUUID().toString().substring(0, 8);
  private final Path netns = Path.of("/run/netns", name);

  @BeforeEach
  void createNetns() throws Exception {
    run("ip", "netns", "add", name);
    run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
  }

  @AfterEach
  void deleteNetns() throws Exception {
    run("ip", "netns", "del", name);
    assertFalse(Files.exists(netns), "netns " + name + " left behind");
  }

  @Test
  void read_countsTrafficInsideThePodNamespaceOnly() throws Exception {
    PodNetworkCounters counters = new PodNetworkCounters(LinuxSyscalls.get());
    List<InterfaceCounters> before = counters.read(netns);
    assertEquals(List.of("lo"), before.stream().map(InterfaceCounters::name).toList(), "a fresh netns has only lo");
    assertEquals(0, before.getFirst().txBytes());

    // 20 datagrams of 1000 bytes over lo, sent by a thread inside the namespace.
    Namespaces.callIn(LinuxSyscalls.get(), netns, NamespaceType.NET, () -> {
      try (DatagramSocket rx = new DatagramSocket(0, InetAddress.getLoopbackAddress());
          DatagramSocket tx = new DatagramSocket()) {
        byte[] payload = new byte[1000];
        for (int i = 0; i < 20; i++) {
          tx.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), rx.getLocalPort()));
        }
      }
      return null;
    });

    InterfaceCounters lo = counters.read(netns).getFirst();
    assertEquals(20, lo.txPackets());
    assertEquals(20, lo.rxPackets());
    // each datagram is 1000 bytes plus 28 of IPv4 and UDP headers; lo counts no link-layer header
    assertEquals(20 * 1028, lo.txBytes());
    assertEquals(lo.txBytes(), lo.rxBytes());
    assertTrue(PodNetworkCounters.defaultInterface(counters.read(netns)) == null, "lo is never the default");
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }
}
