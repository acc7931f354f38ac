package dev.kona.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.UnavailableException;
import dev.kona.image.ImageConfig;
import dev.kona.image.ImageConfig.RegistryConfig;
import dev.kona.image.ImageService;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SampleImages;
import dev.kona.image.testing.TestImageServices;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS pulls from a registry with its own CA: trusted through ca_file, refused without it. */
class TrustStoresTest {

  @RegisterExtension static LocalRegistry registry = LocalRegistry.withTls();
  static BuiltImage image = SampleImages.busybox();

  @TempDir Path temp;

  @BeforeAll
  static void push() {
    registry.pusher().push("secure/busybox", "1", image);
  }

  @Test
  void pull_httpsWithConfiguredCa_succeeds() {
    ImageConfig config =
        ImageConfig.defaults().withRegistries(Map.of(registry.host(), RegistryConfig.trusting(registry.caFile().toString())));
    try (ImageService images = TestImageServices.open(temp.resolve("a"), config)) {
      assertEquals(image.id(), images.pull(ImageReference.parse(registry.host() + "/secure/busybox:1"), Credentials.NONE).id());
    }
  }

  @Test
  void pull_caConfiguredForAnotherHost_isNotTrustedForThisOne() {
    // the same CA, configured for a host that is not this registry: it must not vouch for this one
    ImageConfig config =
        ImageConfig.defaults()
            .withRegistries(
                Map.of(
                    "mirror.invalid", RegistryConfig.trusting(registry.caFile().toString()),
                    "localhost:" + registry.port(), RegistryConfig.trusting(registry.caFile().toString())));
    try (ImageService images = TestImageServices.open(temp.resolve("c"), config)) {
      UnavailableException e =
          assertThrows(
              UnavailableException.class,
              () -> images.pull(ImageReference.parse(registry.host() + "/secure/busybox:1"), Credentials.NONE));
      assertTrue(e.getMessage().contains("SSLHandshakeException"), e.getMessage());
      // and the host it is configured for still trusts it (the certificate names localhost too)
      assertEquals(
          image.id(),
          images.pull(ImageReference.parse("localhost:" + registry.port() + "/secure/busybox:1"), Credentials.NONE).id());
    }
  }

  @Test
  void pull_httpsWithUnknownCa_failsNamingTheRegistry() {
    try (ImageService images = TestImageServices.open(temp.resolve("b"), ImageConfig.defaults())) {
      UnavailableException e =
          assertThrows(
              UnavailableException.class,
              () -> images.pull(ImageReference.parse(registry.host() + "/secure/busybox:1"), Credentials.NONE));
      assertTrue(e.getMessage().contains("https://" + registry.host()), e.getMessage());
      assertTrue(e.getMessage().contains("SSLHandshakeException"), e.getMessage());
    }
  }
}
