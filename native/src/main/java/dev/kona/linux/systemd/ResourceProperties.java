package dev.kona.linux.systemd;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.linux.cgroup.CgroupLimits;
import dev.kona.linux.cgroup.CpuConversions;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The limits systemd has unit properties for, from {@link CgroupLimits}, converted the way runc's
 * systemd driver converts them (cgroup v2 units): CPUWeight from shares, CPUQuotaPerSecUSec from
 * quota/period (rounded up to 10 ms, as systemd keeps it) and CPUQuotaPeriodUSec, MemoryMax,
 * MemoryLow, MemorySwapMax (swap alone, not memory+swap), TasksMax, AllowedCPUs and
 * AllowedMemoryNodes as bitmasks, IOWeight from the blkio weight. The others (hugetlb, unified,
 * swappiness, devices) have no property: the cgroup manager writes them as files.
 */
public final class ResourceProperties {
  private ResourceProperties() {}

  public static List<UnitProperty> of(CgroupLimits l) {
    List<UnitProperty> out = new ArrayList<>();
    if (l.cpuShares() != null && l.cpuShares() != 0) {
      out.add(UnitProperty.uint64("CPUWeight", CpuConversions.sharesToWeight(l.cpuShares())));
    }
    if (l.cpuQuota() != null) {
      out.add(UnitProperty.uint64("CPUQuotaPerSecUSec", quotaPerSecond(l.cpuQuota(), l.cpuPeriod())));
    }
    if (l.cpuPeriod() != null && l.cpuPeriod() != 0) {
      out.add(UnitProperty.uint64("CPUQuotaPeriodUSec", l.cpuPeriod()));
    }
    if (l.cpusetCpus() != null) {
      out.add(UnitProperty.bytes("AllowedCPUs", bitmask(l.cpusetCpus())));
    }
    if (l.cpusetMems() != null) {
      out.add(UnitProperty.bytes("AllowedMemoryNodes", bitmask(l.cpusetMems())));
    }
    if (l.memoryLimit() != null && l.memoryLimit() != 0) {
      out.add(UnitProperty.uint64("MemoryMax", l.memoryLimit() < 0 ? UnitProperty.INFINITY : l.memoryLimit()));
    }
    if (l.memoryReservation() != null && l.memoryReservation() > 0) {
      out.add(UnitProperty.uint64("MemoryLow", l.memoryReservation()));
    }
    if (l.memorySwap() != null && l.memorySwap() != 0) {
      String swap = CpuConversions.swapMax(l.memoryLimit() == null ? -1 : l.memoryLimit(), l.memorySwap());
      out.add(UnitProperty.uint64("MemorySwapMax", swap.equals("max") ? UnitProperty.INFINITY : Long.parseLong(swap)));
    }
    if (l.pidsLimit() != null) {
      out.add(UnitProperty.uint64("TasksMax", l.pidsLimit() <= 0 ? UnitProperty.INFINITY : l.pidsLimit()));
    }
    if (l.blkioWeight() != null && l.blkioWeight() != 0) {
      out.add(UnitProperty.uint64("IOWeight", CpuConversions.blkioToIoWeight(l.blkioWeight())));
    }
    return out;
  }

  /**
   * CPU time per second of wall time in microseconds, rounded up to a multiple of 10 ms (systemd
   * stores it in ms and would otherwise round down); infinity for no quota (-1 or 0).
   */
  static long quotaPerSecond(long quota, Long period) {
    if (quota <= 0) {
      return UnitProperty.INFINITY;
    }
    long p = period == null || period == 0 ? CpuConversions.DEFAULT_PERIOD_US : period;
    long perSec = quota * 1_000_000L / p;
    if (perSec % 10_000 != 0) {
      perSec = (perSec / 10_000 + 1) * 10_000;
    }
    return perSec;
  }

  /** A cpuset list ("0-3,7") as systemd's bitmask: byte i holds CPUs 8i..8i+7, lowest bit first. */
  static byte[] bitmask(String list) {
    BitSet bits = new BitSet();
    for (String part : list.split(",")) {
      String range = part.trim();
      if (range.isEmpty()) {
        continue;
      }
      try {
        int dash = range.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
        if (from < 0 || to < from || to > 65535) {
          throw new NumberFormatException();
        }
        bits.set(from, to + 1);
      } catch (NumberFormatException e) {
        throw new InvalidArgumentException("cpuset: expected a list like 0-3,7, got \"" + list + "\"");
      }
    }
    return bits.toByteArray();
  }
}
