package dev.kona.server.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.ResourceExhaustedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RequestCacheTest {

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.EPOCH);
  private final RequestCache cache = new RequestCache(Duration.ofSeconds(60), 3, now::get);
  private final PortForwardSpec request = new PortForwardSpec("sandbox", List.of(80));

  @Test
  void consume_singleUse() {
    String token = cache.insert(request);
    assertEquals(Optional.of(request), cache.consume(token));
    assertEquals(Optional.empty(), cache.consume(token));
  }

  @Test
  void consume_expired_empty() {
    String token = cache.insert(request);
    now.set(Instant.EPOCH.plusSeconds(60));
    assertEquals(Optional.empty(), cache.consume(token));
  }

  @Test
  void insert_full_resourceExhaustedUntilOnesExpire() {
    cache.insert(request);
    cache.insert(request);
    cache.insert(request);
    assertThrows(ResourceExhaustedException.class, () -> cache.insert(request));
    now.set(Instant.EPOCH.plusSeconds(61));
    assertEquals(0, cache.size());
    cache.insert(request);
  }

  @Test
  void insert_tokensUrlSafeAndDistinct() {
    String a = cache.insert(request);
    String b = cache.insert(request);
    assertNotEquals(a, b);
    assertTrue(a.matches("[A-Za-z0-9_-]{22}"), a);
  }

  @Test
  void consume_unknownToken_empty() {
    assertEquals(Optional.empty(), cache.consume("nope"));
  }
}
