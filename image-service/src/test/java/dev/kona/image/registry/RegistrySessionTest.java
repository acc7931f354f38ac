package dev.kona.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.image.ImageConfig;
import dev.kona.image.ImageConfig.RegistryConfig;
import dev.kona.image.ImageService;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SampleImages;
import dev.kona.image.testing.TestImageServices;
import dev.kona.image.testing.TokenIssuer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Authentication against real registries: htpasswd basic auth and token auth with a test issuer. */
class RegistrySessionTest {

  static BuiltImage multi = SampleImages.multiLayer();

  @TempDir Path temp;
  ImageService images;

  @AfterEach
  void close() {
    if (images != null) {
      images.close();
    }
  }

  ImageService open(String host, RegistryConfig config) {
    images = TestImageServices.open(temp.resolve("images"), ImageConfig.defaults().withRegistries(Map.of(host, config)));
    return images;
  }

  static RegistryConfig insecure(String user, String password, String identityToken) {
    return new RegistryConfig(List.of(), true, true, user, password, identityToken, null);
  }

  @Nested
  class BasicAuth {
    @RegisterExtension static LocalRegistry registry = LocalRegistry.withBasicAuth("kona", "s3cret");

    @BeforeAll
    static void push() {
      registry.pusher().push("private/multi", "1", multi);
    }

    @Test
    void pull_configuredCredentials_succeeds() {
      open(registry.host(), insecure("kona", "s3cret", null));
      assertEquals(multi.id(), images.pull(ImageReference.parse(registry.host() + "/private/multi:1"), Credentials.NONE).id());
    }

    @Test
    void pull_credentialsFromTheKubelet_win() {
      open(registry.host(), insecure("kona", "wrong", null));
      Credentials fromAuth = Credentials.fromAuth(java.util.Base64.getEncoder().encodeToString("kona:s3cret".getBytes()));
      assertEquals(multi.id(), images.pull(ImageReference.parse(registry.host() + "/private/multi:1"), fromAuth).id());
    }

    @Test
    void pull_withoutOrWithWrongCredentials_saysAuthenticationFailed() {
      open(registry.host(), insecure(null, null, null));
      FailedPreconditionException none =
          assertThrows(FailedPreconditionException.class, () -> images.pull(ImageReference.parse(registry.host() + "/private/multi:1"), Credentials.NONE));
      assertTrue(none.getMessage().contains("authentication failed"), none.getMessage());
      assertTrue(none.getMessage().contains("private/multi"), none.getMessage());
      FailedPreconditionException wrong =
          assertThrows(
              FailedPreconditionException.class,
              () -> images.pull(ImageReference.parse(registry.host() + "/private/multi:1"), new Credentials("kona", "nope", "", "")));
      assertTrue(wrong.getMessage().contains("authentication failed (HTTP 401)"), wrong.getMessage());
    }
  }

  @Nested
  class TokenAuth {
    static TokenIssuer issuer;
    static LocalRegistry registry;

    @BeforeAll
    static void start() throws Exception {
      issuer = TokenIssuer.requiring("kona", "s3cret", "refresh-me");
      registry = LocalRegistry.withTokenAuth(issuer).open();
      registry.pusher().push("private/multi", "1", multi);
    }

    @AfterAll
    static void stop() {
      registry.close();
      issuer.close();
    }

    @Test
    void pull_basicCredentialsAtTheRealm_getOneTokenForTheWholePull() {
      open(registry.host(), insecure("kona", "s3cret", null));
      int before = issuer.issuedCount();
      assertEquals(multi.id(), images.pull(ImageReference.parse(registry.host() + "/private/multi:1"), Credentials.NONE).id());
      assertEquals(1, issuer.issuedCount() - before, "one token, reused for the manifest, config and every layer");
      assertEquals("repository:private/multi:pull", issuer.scopes().getLast());
    }

    @Test
    void pull_identityToken_isExchangedAtTheRealm() {
      open(registry.host(), insecure(null, null, null));
      Credentials identity = new Credentials("", "", "refresh-me", "");
      assertEquals(multi.id(), images.pull(ImageReference.parse(registry.host() + "/private/multi:1"), identity).id());
    }

    @Test
    void pull_registryToken_isSentAsIs() {
      open(registry.host(), insecure(null, null, null));
      int before = issuer.issuedCount();
      Credentials token = new Credentials("", "", "", issuer.issue("private/multi", "pull"));
      assertEquals(multi.id(), images.pull(ImageReference.parse(registry.host() + "/private/multi:1"), token).id());
      assertEquals(before, issuer.issuedCount(), "no round trip to the realm");
    }

    @Test
    void pull_realmRefuses_saysAuthenticationFailed() {
      open(registry.host(), insecure("kona", "wrong", null));
      FailedPreconditionException e =
          assertThrows(FailedPreconditionException.class, () -> images.pull(ImageReference.parse(registry.host() + "/private/multi:1"), Credentials.NONE));
      assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
      assertTrue(e.getMessage().contains("token from " + issuer.realm()), e.getMessage());
    }
  }
}
