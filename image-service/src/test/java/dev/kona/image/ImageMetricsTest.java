package dev.kona.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.NotFoundException;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.registry.Credentials;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SampleImages;
import dev.kona.image.testing.TestImageServices;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ImageMetricsTest {

  @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();

  @TempDir Path temp;

  @Test
  void pulls_reportCountsBytesDurationAndFailuresByKind() {
    BuiltImage image = SampleImages.multiLayer();
    registry.pusher().push("test/metrics", "1", image);
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ImageService images =
        ImageService.open(TestImageServices.insecure(registry.host()), temp.resolve("images"), new ImageMetrics(meters))) {
      images.pull(ImageReference.parse(registry.host() + "/test/metrics:1"), Credentials.NONE);
      assertThrows(NotFoundException.class, () -> images.pull(ImageReference.parse(registry.host() + "/test/metrics:none"), Credentials.NONE));
    }
    String scrape = meters.scrape();
    assertTrue(scrape.contains("kona_image_pulls_total 1.0"), scrape);
    assertTrue(scrape.contains("kona_image_pull_failures_total{reason=\"not_found\"} 1.0"), scrape);
    assertTrue(scrape.contains("kona_image_pull_layers_total 3.0"), scrape);
    assertTrue(scrape.contains("kona_image_pull_seconds_count 1"), scrape);
    assertTrue(scrape.contains("kona_image_pulls_in_flight 0.0"), scrape);
    // both pulls, the good one and the failed one, took their bytes off the in-flight gauges
    assertTrue(scrape.contains("kona_image_pull_in_flight_bytes{state=\"total\"} 0.0"), scrape);
    assertTrue(scrape.contains("kona_image_pull_in_flight_bytes{state=\"received\"} 0.0"), scrape);
    long expectedBytes = image.compressedSize() + image.config().size();
    assertEquals(expectedBytes, (long) meters.get("kona.image.pull.bytes").counter().count());
    assertFalse(scrape.contains("test/metrics"), "no image names in labels");
  }
}
