package dev.kona.runtime.observe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * CPU usage in nano-cores (1e9 = one core busy) from two samples of a cumulative counter. The
 * baseline per key moves only once it is {@code window} old, so callers polling faster than the
 * window still get a rate over at least the window rather than over a few noisy milliseconds.
 */
final class CpuRate {

  /** A cumulative CPU counter read at a monotonic time. */
  record Sample(long usageNanos, long atNanos) {}

  private final long windowNanos;
  private final ConcurrentMap<String, Sample> baselines = new ConcurrentHashMap<>();

  CpuRate(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  /**
   * Nano-cores between the key's baseline and {@code now}, or -1 on the first sample (no rate yet).
   * A counter that went backwards (a new cgroup under the same key) restarts the baseline.
   */
  long update(String key, Sample now) {
    Sample base = baselines.putIfAbsent(key, now);
    if (base == null) {
      return -1;
    }
    if (now.usageNanos() < base.usageNanos()) {
      baselines.put(key, now);
      return -1;
    }
    long rate = rate(base, now);
    if (now.atNanos() - base.atNanos() >= windowNanos) {
      baselines.replace(key, base, now);
    }
    return rate;
  }

  void forget(String key) {
    baselines.remove(key);
  }

  void retainOnly(Set<String> keys) {
    baselines.keySet().retainAll(keys);
  }

  /** Nano-cores between two samples; -1 when they are at the same instant or out of order. */
  static long rate(Sample earlier, Sample later) {
    long elapsed = later.atNanos() - earlier.atNanos();
    long used = later.usageNanos() - earlier.usageNanos();
    if (elapsed <= 0 || used < 0) {
      return -1;
    }
    // used/elapsed cores, scaled to nano-cores without overflowing for long intervals.
    return (long) ((double) used / elapsed * 1_000_000_000d);
  }
}
