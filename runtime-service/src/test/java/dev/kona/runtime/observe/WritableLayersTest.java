package dev.kona.runtime.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.common.error.NotFoundException;
import dev.kona.image.ImageService;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WritableLayersTest {

  private final AtomicLong clock = new AtomicLong();
  private final AtomicInteger walks = new AtomicInteger();

  private WritableLayers layers() {
    return new WritableLayers(id -> {
      int n = walks.incrementAndGet();
      return new ImageService.Usage(n * 1000L, n);
    }, 10_000, clock::get);
  }

  @Test
  void usage_walksOncePerRefreshPeriod() throws Exception {
    WritableLayers layers = layers();
    assertEquals(new ImageService.Usage(1000, 1), layers.usage("c1"), "first call measures");
    clock.set(9_999);
    for (int i = 0; i < 100; i++) {
      layers.usage("c1");
    }
    assertEquals(1, walks.get(), "no walk within the period");

    clock.set(10_000);
    assertEquals(new ImageService.Usage(1000, 1), layers.usage("c1"), "a stale figure is served while it refreshes");
    assertEquals(new ImageService.Usage(2000, 2), awaitUsage(layers, "c1", 2000));
    assertEquals(2, walks.get());
  }

  @Test
  void usage_walkFailure_readsAsEmpty() {
    WritableLayers layers = new WritableLayers(id -> {
      throw new NotFoundException("no layer for " + id);
    }, 10, clock::get);
    assertEquals(new ImageService.Usage(0, 0), layers.usage("gone"));
  }

  @Test
  void retainOnly_forgetsOthers() {
    WritableLayers layers = layers();
    layers.usage("a");
    layers.usage("b");
    layers.retainOnly(Set.of("a"));
    layers.usage("a");
    layers.usage("b");
    assertEquals(3, walks.get(), "b was measured again, a was not");
  }

  /** The background walk's figure, once it has landed in the cache. */
  private static ImageService.Usage awaitUsage(WritableLayers layers, String id, long bytes) throws InterruptedException {
    ImageService.Usage u = layers.usage(id);
    for (int i = 0; i < 500 && u.bytes() != bytes; i++) {
      Thread.sleep(10);
      u = layers.usage(id);
    }
    return u;
  }
}
