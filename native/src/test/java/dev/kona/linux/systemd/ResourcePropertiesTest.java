package dev.kona.linux.systemd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.linux.cgroup.CgroupLimits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The unit properties of a scope from OCI limits, in runc's conversions. */
class ResourcePropertiesTest {

  static CgroupLimits limits(Long shares, Long quota, Long period, String cpus, Long memory, Long swap, Long pids,
      Integer blkio) {
    return new CgroupLimits(shares, quota, period, cpus, null, memory, null, swap, null, null, pids, blkio,
        Map.of("2MB", 1L << 21), null, Map.of("memory.high", "1000000"));
  }

  static String text(List<UnitProperty> props) {
    return String.join(" ", props.stream().map(UnitProperty::toString).toList());
  }

  @Test
  void of_everyLimitWithAProperty() {
    List<UnitProperty> props = ResourceProperties.of(limits(512L, 50_000L, 100_000L, "0-1,3", 64L << 20, 128L << 20, 100L, 500));
    // 512 shares: weight 59 by runc 1.3.2's quadratic conversion, the same as the cpu.weight file gets.
    assertEquals("CPUWeight=59 CPUQuotaPerSecUSec=500000 CPUQuotaPeriodUSec=100000 AllowedCPUs=0b "
        + "MemoryMax=67108864 MemorySwapMax=67108864 TasksMax=100 IOWeight=4950", text(props));
  }

  @Test
  void of_unlimitedIsInfinity_unsetIsAbsent() {
    List<UnitProperty> props = ResourceProperties.of(limits(0L, -1L, null, null, -1L, -1L, -1L, null));
    assertEquals("CPUQuotaPerSecUSec=infinity MemoryMax=infinity MemorySwapMax=infinity TasksMax=infinity", text(props));
    assertEquals("", text(ResourceProperties.of(CgroupLimits.NONE)));
  }

  @Test
  void quotaPerSecond_roundsUpToTenMilliseconds() {
    assertEquals(250_000, ResourceProperties.quotaPerSecond(25_000, 100_000L));
    assertEquals(20_000, ResourceProperties.quotaPerSecond(1_500, 100_000L)); // 15 ms -> 20 ms
    assertEquals(1_000_000, ResourceProperties.quotaPerSecond(50_000, 50_000L));
    assertEquals(UnitProperty.INFINITY, ResourceProperties.quotaPerSecond(0, null));
  }

  @Test
  void bitmask_littleEndianBytes() {
    assertArrayEquals(new byte[] {0x01}, ResourceProperties.bitmask("0"));
    assertArrayEquals(new byte[] {(byte) 0x8f, 0x01}, ResourceProperties.bitmask("0-3,7-8"));
    assertArrayEquals(new byte[] {0, 0, 0x04}, ResourceProperties.bitmask("18"));
    assertThrows(InvalidArgumentException.class, () -> ResourceProperties.bitmask("3-1"));
    assertThrows(InvalidArgumentException.class, () -> ResourceProperties.bitmask("a"));
  }
}
