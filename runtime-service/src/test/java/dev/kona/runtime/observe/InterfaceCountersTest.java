package dev.kona.runtime.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class InterfaceCountersTest {

  // Recorded from a pod netns with a veth: two header lines, then one line per interface.
  private static final String NET_DEV = """
      Inter-|   Receive                                                |  Transmit
       face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
          lo:    1200      12    0    0    0     0          0         0     1200      12    0    0    0     0       0          0
        eth0: 5000123    4012    3    7    0     0          0         1  2000456    2011    1    2    0     0       0          0
      """;

  @Test
  void parseProcNetDev_readsReceiveAndTransmitColumns() {
    List<InterfaceCounters> all = InterfaceCounters.parseProcNetDev(NET_DEV);
    assertEquals(2, all.size());
    assertEquals(new InterfaceCounters("lo", 1200, 12, 0, 0, 1200, 12, 0, 0), all.get(0));
    assertEquals(new InterfaceCounters("eth0", 5000123, 4012, 3, 7, 2000456, 2011, 1, 2), all.get(1));
  }

  @Test
  void parseProcNetDev_noColonAfterNameWithoutSpace() {
    // Long counters run into the name: "eth0:5000123" has no space after the colon.
    List<InterfaceCounters> all = InterfaceCounters.parseProcNetDev(
        "h1\nh2\n  eth0:5000123 1 2 3 0 0 0 0 9 8 7 6 0 0 0 0\n");
    assertEquals(new InterfaceCounters("eth0", 5000123, 1, 2, 3, 9, 8, 7, 6), all.getFirst());
  }

  @Test
  void defaultInterface_prefersEth0_elseFirstNonLoopback_elseNone() {
    List<InterfaceCounters> all = InterfaceCounters.parseProcNetDev(NET_DEV);
    assertEquals("eth0", PodNetworkCounters.defaultInterface(all).name());
    InterfaceCounters net1 = new InterfaceCounters("net1", 1, 1, 0, 0, 1, 1, 0, 0);
    assertEquals("net1", PodNetworkCounters.defaultInterface(List.of(all.get(0), net1)).name());
    assertNull(PodNetworkCounters.defaultInterface(List.of(all.get(0))));
  }

  @Test
  void constructor_requiresAName() {
    assertThrows(IllegalArgumentException.class, () -> new InterfaceCounters("", 0, 0, 0, 0, 0, 0, 0, 0));
  }
}
