package dev.kona.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-RPC meters: {@code kona_grpc_requests_total{method,code}},
 * {@code kona_grpc_request_duration_seconds{method}} (buckets 100 µs … 60 s) and
 * {@code kona_grpc_requests_in_flight}. Labels are bounded: method names and status codes only.
 */
public final class GrpcMetrics {

  private static final Duration[] BUCKETS = buckets();

  private final MeterRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  public GrpcMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("kona.grpc.requests.in.flight", inFlight);
  }

  /** Call when an RPC starts; returns the start time for {@link #finished}. */
  public long started() {
    inFlight.incrementAndGet();
    return System.nanoTime();
  }

  public void finished(String method, String code, long startNanos) {
    long elapsed = System.nanoTime() - startNanos;
    inFlight.decrementAndGet();
    timers.computeIfAbsent(method, this::newTimer).record(Duration.ofNanos(elapsed));
    counters
        .computeIfAbsent(method + ' ' + code, key -> newCounter(method, code))
        .increment();
  }

  private Timer newTimer(String method) {
    return Timer.builder("kona.grpc.request.duration")
        .description("Time to serve one CRI call, by method")
        .tag("method", method)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  private Counter newCounter(String method, String code) {
    return Counter.builder("kona.grpc.requests")
        .description("CRI calls served, by method and gRPC status code")
        .tag("method", method)
        .tag("code", code)
        .register(registry);
  }

  private static Duration[] buckets() {
    long[] micros = {
      100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
      1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000, 60_000_000
    };
    Duration[] out = new Duration[micros.length];
    for (int i = 0; i < micros.length; i++) {
      out[i] = Duration.ofNanos(micros[i] * 1_000);
    }
    return out;
  }
}
