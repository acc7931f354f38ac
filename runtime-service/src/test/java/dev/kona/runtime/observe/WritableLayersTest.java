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
    awaitWalks(2);
    assertEquals(new ImageService.Usage(2000, 2), layers.usage("c1"));
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

  private void awaitWalks(int n) throws InterruptedException {
    for (int i = 0; i < 200 && walks.get() < n; i++) {
      Thread.sleep(10);
    }
    Thread.sleep(20); // the walk's result lands in the cache after it counts
    assertEquals(n, walks.get());
  }
}
