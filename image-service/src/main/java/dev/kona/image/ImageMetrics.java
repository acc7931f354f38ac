package dev.kona.image;

import dev.kona.common.error.ErrorKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The image service's meters (Prometheus names in comments). Tags are bounded: a failure's reason is
 * its error kind; never an image name.
 */
public final class ImageMetrics {

  private final MeterRegistry registry;
  private final Counter pulls; // kona_image_pulls_total
  private final Counter bytes; // kona_image_pull_bytes_total
  private final Counter layers; // kona_image_pull_layers_total
  private final Timer duration; // kona_image_pull_seconds
  private final AtomicInteger inFlight = new AtomicInteger(); // kona_image_pulls_in_flight
  /** Bytes the pulls under way are to download, and have so far (their progress, the CRI having no API for it). */
  private final AtomicLong inFlightTotal = new AtomicLong(); // kona_image_pull_in_flight_bytes{state="total"}
  private final AtomicLong inFlightReceived = new AtomicLong(); // kona_image_pull_in_flight_bytes{state="received"}

  public ImageMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.pulls = Counter.builder("kona.image.pulls").description("Image pulls that completed").register(registry);
    this.bytes =
        Counter.builder("kona.image.pull.bytes")
            .baseUnit("bytes")
            .description("Compressed bytes downloaded by image pulls")
            .register(registry);
    this.layers =
        Counter.builder("kona.image.pull.layers").description("Layers downloaded and unpacked by image pulls").register(registry);
    this.duration =
        Timer.builder("kona.image.pull").description("Duration of successful image pulls").register(registry);
    Gauge.builder("kona.image.pulls.in.flight", inFlight, AtomicInteger::get)
        .description("Image pulls under way")
        .register(registry);
    Gauge.builder("kona.image.pull.in.flight", inFlightTotal, AtomicLong::get)
        .baseUnit("bytes")
        .tag("state", "total")
        .description("Compressed bytes the pulls under way download in all (total) and have received so far (received)")
        .register(registry);
    Gauge.builder("kona.image.pull.in.flight", inFlightReceived, AtomicLong::get)
        .baseUnit("bytes")
        .tag("state", "received")
        .description("Compressed bytes the pulls under way download in all (total) and have received so far (received)")
        .register(registry);
  }

  /** A pull under way learnt that it downloads {@code count} more bytes. */
  public void pullExpects(long count) {
    inFlightTotal.addAndGet(count);
  }

  /** A pull under way received {@code count} bytes (its own or a shared download's). */
  public void pullReceived(long count) {
    inFlightReceived.addAndGet(count);
  }

  /** A pull ended, successful or not: its bytes leave the in-flight gauges. */
  public void pullEnded(long expected, long received) {
    inFlightTotal.addAndGet(-expected);
    inFlightReceived.addAndGet(-received);
  }

  public void started() {
    inFlight.incrementAndGet();
  }

  public void succeeded(Duration took) {
    inFlight.decrementAndGet();
    pulls.increment();
    duration.record(took);
  }

  /** kona_image_pull_failures_total{reason=<error kind>}. */
  public void failed(ErrorKind reason) {
    inFlight.decrementAndGet();
    Counter.builder("kona.image.pull.failures")
        .description("Image pulls that failed, by error kind")
        .tag("reason", reason.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  public void downloaded(long count) {
    bytes.increment(count);
  }

  public void layerDone() {
    layers.increment();
  }
}
