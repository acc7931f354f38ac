package dev.kona.runtime.observe;

import dev.kona.common.error.KonaException;
import dev.kona.image.ImageService;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes and inodes of each container's writable layer. Containers write there without telling us,
 * so the figure comes from a directory walk; a walk runs at most once per {@code refreshNanos}
 * per container, and after the first, in the background: a stats call answers from the cache.
 */
final class WritableLayers {

  private static final Logger LOG = LoggerFactory.getLogger(WritableLayers.class);

  /** A measurement and the monotonic time it was made. */
  record Measured(ImageService.Usage usage, long atNanos) {}

  private final Function<String, ImageService.Usage> walk;
  private final long refreshNanos;
  private final LongSupplier clock;
  private final ConcurrentMap<String, Measured> cache = new ConcurrentHashMap<>();
  private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
  // One walker: walks are disk-bound, and a burst of stale entries should not become a burst of walks.
  private final ExecutorService walker = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("kona-writable-layer-walk").daemon().factory());

  WritableLayers(Function<String, ImageService.Usage> walk, long refreshNanos, LongSupplier clock) {
    this.walk = walk;
    this.refreshNanos = refreshNanos;
    this.clock = clock;
  }

  /** The last measurement; the first call for a container measures in the caller's thread. */
  ImageService.Usage usage(String containerId) {
    Measured m = cache.get(containerId);
    if (m == null) {
      return measure(containerId).usage();
    }
    if (clock.getAsLong() - m.atNanos() >= refreshNanos && refreshing.add(containerId)) {
      walker.execute(() -> {
        try {
          measure(containerId);
        } finally {
          refreshing.remove(containerId);
        }
      });
    }
    return m.usage();
  }

  void retainOnly(Set<String> ids) {
    cache.keySet().retainAll(ids);
  }

  private Measured measure(String containerId) {
    ImageService.Usage usage;
    try {
      usage = walk.apply(containerId);
    } catch (KonaException e) {
      LOG.debug("measure writable layer of {}: {}", containerId, e.getMessage());
      usage = new ImageService.Usage(0, 0);
    }
    Measured m = new Measured(usage, clock.getAsLong());
    cache.put(containerId, m);
    return m;
  }
}
