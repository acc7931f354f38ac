package dev.kona.linux.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;

import org.junit.jupiter.api.Test;

class CpuConversionsTest {

  @Test
  void sharesToWeight_runcsQuadraticFormula_defaultIsDefault() {
    // runc >= 1.3.2 and crun >= 1.23 (what the kubelet's e2e tests expect): ends and default map exactly.
    assertEquals(1, CpuConversions.sharesToWeight(2));
    assertEquals(2, CpuConversions.sharesToWeight(3));
    assertEquals(17, CpuConversions.sharesToWeight(102), "100m CPU");
    assertEquals(59, CpuConversions.sharesToWeight(512));
    assertEquals(100, CpuConversions.sharesToWeight(1024), "the v1 default is the v2 default");
    assertEquals(174, CpuConversions.sharesToWeight(2048));
    assertEquals(303, CpuConversions.sharesToWeight(4096));
    assertEquals(10000, CpuConversions.sharesToWeight(262144));
    assertEquals(100, CpuConversions.sharesToWeight(0), "unset means the v2 default");
  }

  @Test
  void weightToShares_invertsIt() {
    assertEquals(2, CpuConversions.weightToShares(1));
    assertEquals(1012, CpuConversions.weightToShares(100), "the smallest shares that give weight 100");
    assertEquals(262144, CpuConversions.weightToShares(10000));
    for (long shares : new long[] {2, 102, 512, 1024, 4096, 262144}) {
      assertEquals(CpuConversions.sharesToWeight(shares),
          CpuConversions.sharesToWeight(CpuConversions.weightToShares(CpuConversions.sharesToWeight(shares))));
    }
  }

  @Test
  void cpuMax_andSwap() {
    assertEquals("50000 100000", CpuConversions.cpuMax(50000L, 100000L));
    assertEquals("max", CpuConversions.cpuMax(-1L, null), "no period: the kernel keeps the current one, as runc writes it");
    assertEquals("20000", CpuConversions.cpuMax(20000L, null));
    assertEquals("max 50000", CpuConversions.cpuMax(null, 50000L));
    assertEquals("max", CpuConversions.swapMax(100, -1));
    assertEquals("100", CpuConversions.swapMax(100, 200));
    assertEquals("0", CpuConversions.swapMax(100, 100));
    assertEquals("max", CpuConversions.swapMax(-1, -1));
    InvalidArgumentException noMemory = assertThrows(InvalidArgumentException.class,
        () -> CpuConversions.swapMax(-1, 200));
    assertTrue(noMemory.getMessage().contains("memory_swap_limit_in_bytes"), noMemory.getMessage());
    assertEquals("max", CpuConversions.bytesOrMax(-1));
  }

  @Test
  void blkioToIoWeight() {
    assertEquals(1, CpuConversions.blkioToIoWeight(10));
    assertEquals(10000, CpuConversions.blkioToIoWeight(1000));
  }
}
