package dev.kona.linux.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CpuConversionsTest {

  @Test
  void sharesToWeight_endsAndDefault() {
    assertEquals(1, CpuConversions.sharesToWeight(2));
    assertEquals(39, CpuConversions.sharesToWeight(1024));
    assertEquals(10000, CpuConversions.sharesToWeight(262144));
    assertEquals(100, CpuConversions.sharesToWeight(0), "unset means the v2 default");
  }

  @Test
  void weightToShares_invertsAtEnds() {
    assertEquals(2, CpuConversions.weightToShares(1));
    assertEquals(262144, CpuConversions.weightToShares(10000));
  }

  @Test
  void cpuMax_andSwap() {
    assertEquals("50000 100000", CpuConversions.cpuMax(50000L, 100000L));
    assertEquals("max 100000", CpuConversions.cpuMax(-1L, null));
    assertEquals("max 50000", CpuConversions.cpuMax(null, 50000L));
    assertEquals("max", CpuConversions.swapMax(100, -1));
    assertEquals("100", CpuConversions.swapMax(100, 200));
    assertEquals("0", CpuConversions.swapMax(100, 100));
    assertEquals("max", CpuConversions.bytesOrMax(-1));
  }

  @Test
  void blkioToIoWeight() {
    assertEquals(1, CpuConversions.blkioToIoWeight(10));
    assertEquals(10000, CpuConversions.blkioToIoWeight(1000));
  }
}
