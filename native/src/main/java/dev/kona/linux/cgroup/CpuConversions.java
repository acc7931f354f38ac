package dev.kona.linux.cgroup;

/** Unit conversions between the OCI (cgroup v1) values and cgroup v2 files. */
public final class CpuConversions {
  public static final long DEFAULT_PERIOD_US = 100_000;

  private CpuConversions() {}

  /**
   * v1 {@code cpu.shares} (2..262144) to v2 {@code cpu.weight} (1..10000), linearly, so the
   * default 1024 becomes 39 and the ends map to the ends (the formula runc and crun share).
   */
  public static long sharesToWeight(long shares) {
    if (shares == 0) {
      return 100;
    }
    return 1 + ((shares - 2) * 9999) / 262142;
  }

  /** The inverse of {@link #sharesToWeight}, for reading v2 weights back as shares. */
  public static long weightToShares(long weight) {
    return 2 + ((weight - 1) * 262142) / 9999;
  }

  /** v1 {@code blkio.weight} (10..1000) to v2 {@code io.weight} (1..10000). */
  public static long blkioToIoWeight(long weight) {
    return 1 + ((weight - 10) * 9999) / 990;
  }

  /** The v2 {@code cpu.max} line: "quota period", quota "max" when unlimited. */
  public static String cpuMax(Long quota, Long period) {
    long p = period == null || period == 0 ? DEFAULT_PERIOD_US : period;
    String q = quota == null || quota <= 0 ? "max" : Long.toString(quota);
    return q + " " + p;
  }

  /** v2 {@code memory.swap.max} from the OCI memory+swap total: swap alone, or "max". */
  public static String swapMax(long memoryLimit, long memorySwap) {
    if (memorySwap == -1) {
      return "max";
    }
    if (memoryLimit <= 0) {
      return Long.toString(memorySwap);
    }
    return Long.toString(memorySwap - memoryLimit);
  }

  /** A byte limit for v2 files: -1 (and 0, "not set") are "max". */
  public static String bytesOrMax(long value) {
    return value <= 0 ? "max" : Long.toString(value);
  }
}
