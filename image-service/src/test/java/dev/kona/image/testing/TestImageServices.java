package dev.kona.image.testing;

import dev.kona.image.ImageConfig;
import dev.kona.image.ImageConfig.RegistryConfig;
import dev.kona.image.ImageMetrics;
import dev.kona.image.ImageService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;

/** Opens image services for tests: a fresh store under a temp dir, registries reachable over plain HTTP. */
public final class TestImageServices {

  private TestImageServices() {}

  /** A config that reaches each of {@code hosts} ({@code 127.0.0.1:<port>}) over plain HTTP. */
  public static ImageConfig insecure(String... hosts) {
    Map<String, RegistryConfig> registries = new java.util.LinkedHashMap<>();
    for (String host : hosts) {
      registries.put(host, new RegistryConfig(java.util.List.of(), true, true, null, null, null, null));
    }
    return ImageConfig.defaults().withRegistries(registries);
  }

  public static ImageService open(Path root, ImageConfig config) {
    return ImageService.open(config, root, new ImageMetrics(new SimpleMeterRegistry()));
  }

  public static ImageService open(Path root, ImageConfig config, SimpleMeterRegistry meters) {
    return ImageService.open(config, root, new ImageMetrics(meters));
  }
}
