package dev.kona.image.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.image.ImageMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** What a long pull tells the log and the metrics while it runs (the CRI has no progress API). */
class PullProgressTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void report_namesBytesReceivedOfTheTotalAndLayers() {
    PullProgress progress = new PullProgress("registry.test/big:1");
    progress.layers(6);
    progress.expect(1_200_000_000L);
    progress.expect(3_000_000L);
    progress.advance(600_000_000L);
    progress.layerDone();
    long start = System.nanoTime();
    assertNull(progress.reportIfDue(start, 5 * SECOND), "not due yet");
    String report = progress.reportIfDue(start + 6 * SECOND, 5 * SECOND);
    assertTrue(report.contains("registry.test/big:1"), report);
    assertTrue(report.contains("600.0 of 1203.0 MB received, 1/6 layers unpacked"), report);
    assertNull(progress.reportIfDue(start + 7 * SECOND, 5 * SECOND), "one report per period");
  }

  @Test
  void inFlightBytes_followThePullsUnderWayAndLeaveWithThem() {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ImageMetrics metrics = new ImageMetrics(meters);
    PullProgress one = new PullProgress("a:1", metrics);
    PullProgress two = new PullProgress("b:1", metrics);
    one.expect(1000);
    two.expect(500);
    one.advance(400);
    two.advance(500);
    assertEquals(1500.0, gauge(meters, "total"));
    assertEquals(900.0, gauge(meters, "received"));
    String scrape = meters.scrape();
    assertTrue(scrape.contains("kona_image_pull_in_flight_bytes{state=\"total\"} 1500.0"), scrape);
    two.ended();
    assertEquals(1000.0, gauge(meters, "total"));
    assertEquals(400.0, gauge(meters, "received"));
    one.ended();
    assertEquals(0.0, gauge(meters, "total"));
    assertEquals(0.0, gauge(meters, "received"));
  }

  private static double gauge(PrometheusMeterRegistry meters, String state) {
    return meters.get("kona.image.pull.in.flight").tag("state", state).gauge().value();
  }
}
