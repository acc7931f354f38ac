package dev.kona.runtime.util;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Times the steps of the lifecycle operations (namespace pinning, CNI, rootfs mount, native create,
 * start…) as {@code kona_lifecycle_step_seconds{operation,step}}: where a slow pod start spends its
 * time, without a profiler. Both labels come from a fixed set in the code, so the series stay few.
 */
public final class StepTimer {

  /** Times nothing: for tests and tools that build the runtime without a registry. */
  public static final StepTimer NONE = new StepTimer(null);

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)
  };

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

  public StepTimer(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Runs {@code work} as {@code step} of {@code operation}; failed steps are timed too. The steps
   * are also the crash-injection points of the crash-recovery suite ({@link FaultPoint}).
   */
  public <T> T time(String operation, String step, Supplier<T> work) {
    FaultPoint.reached(operation, step, FaultPoint.When.BEFORE);
    long start = System.nanoTime();
    T result;
    try {
      result = work.get();
    } finally {
      record(operation, step, start);
    }
    FaultPoint.reached(operation, step, FaultPoint.When.AFTER);
    return result;
  }

  public void run(String operation, String step, Runnable work) {
    time(operation, step, () -> {
      work.run();
      return null;
    });
  }

  private void record(String operation, String step, long startNanos) {
    if (registry == null) {
      return;
    }
    timers.computeIfAbsent(operation + ' ' + step, key -> Timer.builder("kona.lifecycle.step")
            .description("Time spent in one step of a pod or container lifecycle operation")
            .tag("operation", operation)
            .tag("step", step)
            .serviceLevelObjectives(BUCKETS)
            .register(registry))
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }
}
