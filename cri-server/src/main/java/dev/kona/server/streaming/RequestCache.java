package dev.kona.server.streaming;

import dev.kona.common.error.ResourceExhaustedException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Requests waiting for their client, each under a single-use, unguessable token that expires
 * after a fixed time. Bounded: a full cache refuses new requests rather than grow. Thread-safe.
 */
public final class RequestCache {

  /** 128 random bits: unguessable, and short enough for a URL path segment. */
  private static final int TOKEN_BYTES = 16;

  private final Duration ttl;
  private final int maxInFlight;
  private final InstantSource clock;
  private final SecureRandom random = new SecureRandom();
  private final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
  // Insertion order is expiry order because the TTL is fixed: purging stops at the first live one.
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  private record Entry(StreamRequest request, Instant expiresAt) {}

  public RequestCache(Duration ttl, int maxInFlight, InstantSource clock) {
    this.ttl = ttl;
    this.maxInFlight = maxInFlight;
    this.clock = clock;
  }

  /** Stores the request and returns its token; throws ResourceExhausted when full. */
  public synchronized String insert(StreamRequest request) {
    Instant now = clock.instant();
    purgeExpired(now);
    if (entries.size() >= maxInFlight) {
      throw new ResourceExhaustedException(
          "register " + request.route() + " stream: " + maxInFlight + " requests already in flight");
    }
    String token;
    do {
      byte[] bytes = new byte[TOKEN_BYTES];
      random.nextBytes(bytes);
      token = encoder.encodeToString(bytes);
    } while (entries.containsKey(token));
    entries.put(token, new Entry(request, now.plus(ttl)));
    return token;
  }

  /** Takes the request out; empty if the token is unknown, already used or expired. */
  public synchronized Optional<StreamRequest> consume(String token) {
    Entry entry = entries.remove(token);
    if (entry == null || !clock.instant().isBefore(entry.expiresAt())) {
      return Optional.empty();
    }
    return Optional.of(entry.request());
  }

  public synchronized int size() {
    purgeExpired(clock.instant());
    return entries.size();
  }

  private void purgeExpired(Instant now) {
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      if (now.isBefore(it.next().getValue().expiresAt())) {
        return;
      }
      it.remove();
    }
  }
}
