package dev.kona.oci.runc;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling for files and processes that change under another process (conmon, the runtime). */
final class Waits {
  private Waits() {}

  static boolean until(Duration timeout, BooleanSupplier done) {
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
      sleepMillis = Math.min(sleepMillis * 2, 20);
    }
    return true;
  }
}
