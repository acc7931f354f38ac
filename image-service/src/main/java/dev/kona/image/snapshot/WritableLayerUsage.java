package dev.kona.image.snapshot;

import dev.kona.image.content.FileTrees;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Bytes and inodes of all containers' writable layers. Containers write there without telling us, so
 * the figure comes from a walk, done at most once per {@code refresh} however often it is asked for.
 */
public final class WritableLayerUsage {

  private final Path containersDir;
  private final long refreshNanos;
  private long[] cached = new long[2];
  private long measuredAt;
  private boolean measured;

  public WritableLayerUsage(Path containersDir, Duration refresh) {
    this.containersDir = containersDir;
    this.refreshNanos = refresh.toNanos();
  }

  /** The next {@link #get} walks again: a layer was made or removed. */
  public synchronized void invalidate() {
    measured = false;
  }

  public synchronized long[] get() {
    long now = System.nanoTime();
    if (!measured || now - measuredAt > refreshNanos) {
      try {
        cached = FileTrees.usage(containersDir);
      } catch (IOException e) {
        // keep the previous figure; the next call tries again
      }
      measuredAt = now;
      measured = true;
    }
    return cached.clone();
  }
}
