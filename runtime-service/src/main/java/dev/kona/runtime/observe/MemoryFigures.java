package dev.kona.runtime.observe;

/**
 * Memory figures derived beside the cgroup's counters (the working set itself, usage minus inactive
 * file, comes from the cgroup readers).
 */
final class MemoryFigures {

  /** cgroup v1 writes "no limit" as the largest page-aligned long; anything this big is unlimited. */
  private static final long UNLIMITED = 1L << 62;

  private MemoryFigures() {}

  /** Bytes left before the limit, as cAdvisor reports it; -1 when there is no limit. */
  static long available(long limitBytes, long workingSetBytes) {
    if (limitBytes <= 0 || limitBytes >= UNLIMITED) {
      return -1;
    }
    return Math.max(0, limitBytes - workingSetBytes);
  }
}
