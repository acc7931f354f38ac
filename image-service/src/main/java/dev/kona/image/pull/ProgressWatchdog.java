package dev.kona.image.pull;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cancels pulls that received no bytes for the configured period, like the kubelet's progress
 * deadline: the pull's threads are interrupted and the pull fails with DEADLINE_EXCEEDED. Also logs
 * the progress of pulls that take longer than five seconds (bytes received of the total, layers
 * unpacked), every five seconds.
 */
public final class ProgressWatchdog implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProgressWatchdog.class);
  /** Long pulls log their progress this often. */
  private static final Duration REPORT_EVERY = Duration.ofSeconds(5);

  private final Duration timeout;
  private final Set<PullProgress> watched = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;

  public ProgressWatchdog(Duration timeout) {
    this.timeout = timeout;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("kona-pull-watchdog").unstarted(r));
    long period = Math.max(100, Math.min(1000, timeout.toMillis() / 4));
    timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  public void watch(PullProgress progress) {
    watched.add(progress);
  }

  public void unwatch(PullProgress progress) {
    watched.remove(progress);
  }

  private void check() {
    long now = System.nanoTime();
    for (PullProgress progress : watched) {
      String report = progress.reportIfDue(now, REPORT_EVERY.toNanos());
      if (report != null) {
        LOG.info(report);
      }
      if (!progress.stalled() && progress.idleNanos(now) > timeout.toNanos()) {
        String waiting = progress.receivingNow();
        progress.stall(
            "pull " + progress.image() + ": no progress for " + timeout.toSeconds() + " s (after "
                + progress.bytes() + " bytes" + (waiting.isEmpty() ? "" : "; receiving " + waiting)
                + "); cancelled (images.progress_timeout_seconds)");
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
