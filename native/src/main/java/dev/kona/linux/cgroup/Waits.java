package dev.kona.linux.cgroup;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling for kernel state that settles asynchronously (freezing, tasks leaving a cgroup). */
final class Waits {
  private Waits() {}

  /** Polls {@code done} with a short, growing sleep until true or {@code timeout}; returns the last result. */
  static boolean until(Duration timeout, BooleanSupplier done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long sleepMillis = 1;
    while (true) {
      if (done.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(sleepMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return done.getAsBoolean();
      }
      sleepMillis = Math.min(sleepMillis * 2, 50);
    }
  }
}
