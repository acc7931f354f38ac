package dev.kona.linux.cgroup;

import dev.kona.common.error.InvalidArgumentException;

/** Unit conversions between the OCI (cgroup v1) values and cgroup v2 files. */
public final class CpuConversions {
  public static final long DEFAULT_PERIOD_US = 100_000;

  private CpuConversions() {}

  /**
   * v1 {@code cpu.shares} (2..262144) to v2 {@code cpu.weight} (1..10000) with the quadratic
   * formula of runc 1.3.2+ and crun 1.23+ ({@code ConvertCPUSharesToCgroupV2Value} in
   * opencontainers/cgroups): with {@code l = log2(shares)},
   * {@code weight = ceil(10^((l^2 + 125 l) / 612 - 7/34))}, which maps the ends to the ends and
   * the v1 default 1024 to the v2 default 100 (the older linear formula made it 39).
   */
  public static long sharesToWeight(long shares) {
    if (shares == 0) {
      return 100;
    }
    if (shares <= 2) {
      return 1;
    }
    if (shares >= 262144) {
      return 10000;
    }
    double l = log2(shares);
    double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
    return (long) Math.ceil(Math.pow(10, exponent));
  }

  /** The inverse of {@link #sharesToWeight} (the smallest shares giving the weight), for reading weights back. */
  public static long weightToShares(long weight) {
    if (weight <= 1) {
      return 2;
    }
    if (weight >= 10000) {
      return 262144;
    }
    // Solve l^2 + 125 l - 612 (log10(weight) + 7/34) = 0 for l, then look near 2^l for the exact value.
    double c = 612.0 * (Math.log10(weight) + 7.0 / 34.0);
    long shares = Math.round(Math.pow(2, (-125 + Math.sqrt(125.0 * 125.0 + 4 * c)) / 2));
    while (shares > 2 && sharesToWeight(shares - 1) >= weight) {
      shares--;
    }
    while (sharesToWeight(shares) < weight) {
      shares++;
    }
    return shares;
  }

  /** log2 exact at powers of two (as Go's math.Log2), so that 1024 gives exactly weight 100. */
  private static double log2(long x) {
    if (Long.bitCount(x) == 1) {
      return Long.numberOfTrailingZeros(x);
    }
    return Math.log(x) / Math.log(2);
  }

  /** v1 {@code blkio.weight} (10..1000) to v2 {@code io.weight} (1..10000). */
  public static long blkioToIoWeight(long weight) {
    return 1 + ((weight - 10) * 9999) / 990;
  }

  /**
   * The v2 {@code cpu.max} line as runc writes it: "quota period", quota "max" when unlimited,
   * and the quota alone when no period is given (the kernel keeps the period in force).
   */
  public static String cpuMax(Long quota, Long period) {
    String q = quota == null || quota <= 0 ? "max" : Long.toString(quota);
    return period == null || period == 0 ? q : q + " " + period;
  }

  /**
   * v2 {@code memory.swap.max} from the OCI (and CRI) memory+swap total, as runc's
   * {@code ConvertMemorySwapToCgroupV2Value}: swap alone (total minus memory), "max" for -1 (or
   * unlimited memory with no swap given); a swap total needs a memory limit. {@code memoryLimit}
   * -1 means unlimited or not given.
   */
  public static String swapMax(long memoryLimit, long memorySwap) {
    if (memorySwap == -1 || (memoryLimit == -1 && memorySwap == 0)) {
      return "max";
    }
    if (memoryLimit <= 0) {
      throw new InvalidArgumentException("memory_swap_limit_in_bytes: " + memorySwap
          + " (memory+swap) needs memory_limit_in_bytes, got none");
    }
    if (memorySwap < memoryLimit) {
      throw new InvalidArgumentException("memory_swap_limit_in_bytes: expected >= memory_limit_in_bytes "
          + memoryLimit + " (it is memory+swap), got " + memorySwap);
    }
    return Long.toString(memorySwap - memoryLimit);
  }

  /** A byte limit for v2 files: -1 (and 0, "not set") are "max". */
  public static String bytesOrMax(long value) {
    return value <= 0 ? "max" : Long.toString(value);
  }
}
