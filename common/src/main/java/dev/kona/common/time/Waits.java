package dev.kona.common.time;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polling for state another process or the kernel settles asynchronously (tasks leaving a cgroup,
 * a monitor writing its status file): a short sleep that doubles up to a cap.
 */
public final class Waits {

  private static final long DEFAULT_MAX_SLEEP_MILLIS = 50;

  private Waits() {}

  /** Polls {@code done} until true or {@code timeout}; returns the last result. */
  public static boolean until(Duration timeout, BooleanSupplier done) {
    return until(timeout, DEFAULT_MAX_SLEEP_MILLIS, done);
  }

  /** As {@link #until(Duration, BooleanSupplier)}, sleeping at most {@code maxSleepMillis} between polls. */
  public static boolean until(Duration timeout, long maxSleepMillis, BooleanSupplier done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long sleepMillis = 1;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(sleepMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return done.getAsBoolean();
      }
      sleepMillis = Math.min(sleepMillis * 2, maxSleepMillis);
    }
    return true;
  }
}
