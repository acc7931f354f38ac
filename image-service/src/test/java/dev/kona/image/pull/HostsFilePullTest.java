package dev.kona.image.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.UnavailableException;
import dev.kona.image.ImageConfig;
import dev.kona.image.ImageConfig.RegistryConfig;
import dev.kona.image.ImageService;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.registry.Credentials;
import dev.kona.image.store.ImageRecord;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.CountingProxy;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SampleImages;
import dev.kona.image.testing.TestImageServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls through mirrors named in containerd's hosts.toml ({@code images.config_path}), from real
 * registries on loopback (Debian's docker-registry): plain, with basic auth, and with TLS.
 */
class HostsFilePullTest {

  @RegisterExtension static LocalRegistry plain = LocalRegistry.anonymous();
  @RegisterExtension static LocalRegistry authed = LocalRegistry.withBasicAuth("mirror-user", "mirror-pass");
  @RegisterExtension static LocalRegistry tls = LocalRegistry.withTls();

  static BuiltImage image = SampleImages.busybox();

  @TempDir Path temp;
  private ImageService images;

  @BeforeAll
  static void push() {
    plain.pusher().push("kona/busybox", "1", image);
    plain.pusher().push("kona/busybox", "2", image);
    authed.pusher().push("kona/busybox", "1", image);
    tls.pusher().push("kona/busybox", "1", image);
  }

  @AfterEach
  void close() {
    if (images != null) {
      images.close();
    }
  }

  private Path certsD() throws IOException {
    return Files.createDirectories(temp.resolve("certs.d"));
  }

  private void hostsToml(String registry, String toml) throws IOException {
    Files.createDirectories(certsD().resolve(registry));
    Files.writeString(certsD().resolve(registry).resolve("hosts.toml"), toml);
  }

  private ImageService open(ImageConfig config) throws IOException {
    images = TestImageServices.open(temp.resolve("images"), config.withConfigPath(certsD().toString()));
    return images;
  }

  private ImageRecord pull(String name) {
    return images.pull(ImageReference.parse(name), Credentials.NONE);
  }

  @Test
  void pull_mirrorFromHostsToml_keepsTheNameSendsItsHeaders_andAnEditAppliesToTheNextPull() throws Exception {
    int closed = LocalRegistry.freePort();
    try (CountingProxy mirror = new CountingProxy(plain.url())) {
      hostsToml("registry.invalid", """
          server = "http://127.0.0.1:%d"
          [host."%s"]
            capabilities = ["pull", "resolve"]
            [host."%s".header]
              X-Kona-Mirror = "yes"
          """.formatted(closed, mirror.url(), mirror.url()));
      // the table names a dead mirror and mirrors only: hosts.toml wins
      open(ImageConfig.defaults().withRegistries(Map.of("registry.invalid", RegistryConfig.mirrorOnly("http://127.0.0.1:" + closed))));
      ImageRecord record = pull("registry.invalid/kona/busybox:1");
      assertEquals(image.id(), record.id());
      assertEquals(List.of("registry.invalid/kona/busybox:1"), record.repoTags());
      assertEquals(1, mirror.count("GET", "/v2/kona/busybox/manifests/1"));
      assertTrue(mirror.headerValues("X-Kona-Mirror").contains("yes"), "headers: " + mirror.headerValues("X-Kona-Mirror"));

      // the operator drops the mirror; no restart: the next pull goes to the (dead) server only
      hostsToml("registry.invalid", "server = \"http://127.0.0.1:%d\"\n".formatted(closed));
      UnavailableException e = assertThrows(UnavailableException.class, () -> pull("registry.invalid/kona/busybox:2"));
      assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
      assertEquals(0, mirror.count("GET", "/v2/kona/busybox/manifests/2"));
    }
  }

  @Test
  void pull_mirrorWithItsOwnCredentials() throws Exception {
    hostsToml("private.invalid", """
        server = "https://private.invalid"
        [host."http://%s"]
          capabilities = ["pull", "resolve"]
        """.formatted(authed.host()));
    open(ImageConfig.defaults());
    KonaException e = assertThrows(KonaException.class, () -> pull("private.invalid/kona/busybox:1"));
    assertTrue(e.getMessage().contains(authed.host()), e.getMessage());

    hostsToml("private.invalid", """
        server = "https://private.invalid"
        [host."http://%s"]
          capabilities = ["pull", "resolve"]
          username = "mirror-user"
          password = "mirror-pass"
        """.formatted(authed.host()));
    assertEquals(image.id(), pull("private.invalid/kona/busybox:1").id());
  }

  @Test
  void pull_tlsMirror_trustedByItsCa_orBySkipVerify_elseRefused() throws Exception {
    open(ImageConfig.defaults());
    hostsToml("secure.invalid", "[host.\"https://%s\"]\n".formatted(tls.host()));
    UnavailableException e = assertThrows(UnavailableException.class, () -> pull("secure.invalid/kona/busybox:1"));
    assertTrue(e.getMessage().contains("SSLHandshakeException"), e.getMessage());

    hostsToml("secure.invalid", "[host.\"https://%s\"]\n  ca = \"%s\"\n".formatted(tls.host(), tls.caFile()));
    assertEquals(image.id(), pull("secure.invalid/kona/busybox:1").id());
    images.remove(image.id().toString());

    hostsToml("secure.invalid", "[host.\"https://%s\"]\n  skip_verify = true\n".formatted(tls.host()));
    assertEquals(image.id(), pull("secure.invalid/kona/busybox:1").id());
  }

  @Test
  void pull_badHostsToml_failsNamingTheFile() throws Exception {
    open(ImageConfig.defaults());
    hostsToml("broken.invalid", "[host.\"http://127.0.0.1:1\"]\n  mirrors = [\"x\"]\n");
    FailedPreconditionException e = assertThrows(FailedPreconditionException.class, () -> pull("broken.invalid/kona/busybox:1"));
    assertTrue(e.getMessage().contains("broken.invalid/hosts.toml"), e.getMessage());
    assertTrue(e.getMessage().contains("mirrors: unknown key"), e.getMessage());
  }
}
