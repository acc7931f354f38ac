package dev.kona.server.streaming;

import dev.kona.server.streaming.io.TrafficCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The streaming server's meters (Prometheus names in comments). Tags are bounded: route
 * (exec, attach, portforward), transport (spdy, websocket, spdy-websocket), rejection reason;
 * never a container or pod id.
 */
public final class StreamingMetrics implements TrafficCounter {

  private final MeterRegistry registry;
  private final AtomicInteger active = new AtomicInteger(); // kona_streaming_sessions_active
  private final Counter bytesOut; // kona_streaming_bytes_total{direction="to_client"}
  private final Counter bytesIn; // kona_streaming_bytes_total{direction="from_client"}

  public StreamingMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("kona.streaming.sessions.active", active, AtomicInteger::get)
        .description("Exec, attach and port-forward connections open now")
        .register(registry);
    bytesOut = bytes("to_client");
    bytesIn = bytes("from_client");
  }

  private Counter bytes(String direction) {
    return Counter.builder("kona.streaming.bytes")
        .baseUnit("bytes")
        .description("Payload bytes carried by streaming sessions")
        .tag("direction", direction)
        .register(registry);
  }

  /** kona_streaming_sessions_total{route, transport}; the session counts as active until closed. */
  public void sessionStarted(String route, String transport) {
    Counter.builder("kona.streaming.sessions")
        .description("Streaming sessions started, by route and transport")
        .tag("route", route)
        .tag("transport", transport)
        .register(registry)
        .increment();
    active.incrementAndGet();
  }

  public void sessionEnded() {
    active.decrementAndGet();
  }

  /** kona_streaming_rejected_total{reason}: not_found (bad or used token), protocol, request. */
  public void rejected(String reason) {
    Counter.builder("kona.streaming.rejected")
        .description("Streaming requests refused before a session started")
        .tag("reason", reason.toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  @Override
  public void sentToClient(long bytes) {
    bytesOut.increment(bytes);
  }

  @Override
  public void receivedFromClient(long bytes) {
    bytesIn.increment(bytes);
  }
}
