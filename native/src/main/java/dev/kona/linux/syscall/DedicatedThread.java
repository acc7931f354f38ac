package dev.kona.linux.syscall;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task on a new platform thread that exits when the task ends.
 *
 * <p>Why: {@code unshare} and {@code setns} move only the calling OS thread into a namespace. A
 * pooled thread would carry that namespace into unrelated work, and a virtual thread can hop
 * between carrier threads mid-task, so the syscall would land on one carrier and the follow-up on
 * another. A fresh platform thread that dies afterwards keeps every other JVM thread where it was
 * (the same reason Go code pairs setns with LockOSThread and lets the thread die).
 */
public final class DedicatedThread {
  private DedicatedThread() {}

  /** Runs {@code task} on a fresh platform thread named {@code name}, waits, returns its result. */
  public static <T> T call(String name, Callable<T> task) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        Thread.ofPlatform()
            .name(name)
            .daemon(true)
            .unstarted(() -> {
              try {
                result.set(task.call());
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    thread.start();
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        // The task may be holding a namespace half set up: let it finish, then re-interrupt.
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t != null) {
      throw new IllegalStateException(name + ": " + t.getMessage(), t);
    }
    return result.get();
  }

  public static void run(String name, Runnable task) {
    call(name, () -> {
      task.run();
      return null;
    });
  }
}
