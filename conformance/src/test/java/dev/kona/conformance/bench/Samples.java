package dev.kona.conformance.bench;

import java.util.Arrays;

/** Latencies of one operation, in nanoseconds, and their percentiles (nearest rank). */
record Samples(long[] nanos) {

  static Samples of(java.util.List<Long> values) {
    return new Samples(values.stream().mapToLong(Long::longValue).toArray());
  }

  double p50Millis() {
    return percentile(50) / 1e6;
  }

  double p99Millis() {
    return percentile(99) / 1e6;
  }

  long percentile(int p) {
    if (nanos.length == 0) {
      throw new IllegalStateException("no samples");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
