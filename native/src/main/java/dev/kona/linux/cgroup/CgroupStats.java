package dev.kona.linux.cgroup;

/**
 * A cgroup's usage, the same on v1 and v2. {@code memoryWorkingSetBytes} is usage minus inactive
 * file pages (what the kubelet evicts on); {@code oomKills} counts processes the kernel's OOM
 * killer chose in this cgroup, {@code oomEvents} the times the limit was hit. {@code pressure}
 * is the cgroup's PSI on v2 (null on v1, or when not read).
 */
public record CgroupStats(
    long cpuUsageNanos,
    long cpuUserNanos,
    long cpuSystemNanos,
    long cpuThrottledPeriods,
    long memoryUsageBytes,
    long memoryWorkingSetBytes,
    long memoryRssBytes,
    long memoryPageFaults,
    long memoryMajorPageFaults,
    long pidsCurrent,
    long oomEvents,
    long oomKills,
    Pressure pressure) {

  /** Usage without pressure figures (v1, or a reading that does not take them). */
  public CgroupStats(long cpuUsageNanos, long cpuUserNanos, long cpuSystemNanos, long cpuThrottledPeriods,
      long memoryUsageBytes, long memoryWorkingSetBytes, long memoryRssBytes, long memoryPageFaults,
      long memoryMajorPageFaults, long pidsCurrent, long oomEvents, long oomKills) {
    this(cpuUsageNanos, cpuUserNanos, cpuSystemNanos, cpuThrottledPeriods, memoryUsageBytes,
        memoryWorkingSetBytes, memoryRssBytes, memoryPageFaults, memoryMajorPageFaults, pidsCurrent,
        oomEvents, oomKills, null);
  }
}
