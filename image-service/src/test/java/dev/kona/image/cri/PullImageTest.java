package dev.kona.image.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.cri.api.v1.AuthConfig;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.image.registry.Credentials;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SampleImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PullImageTest {

  @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();
  static BuiltImage busybox = SampleImages.busybox();

  @TempDir Path temp;
  CriFixture cri;

  @BeforeAll
  static void push() {
    registry.pusher().push("test/busybox", "1", busybox);
  }

  @BeforeEach
  void open() {
    cri = new CriFixture(temp.resolve("images"), registry);
  }

  @AfterEach
  void close() {
    cri.close();
  }

  @Test
  void pullImage_returnsTheImageIdThatStatusKnows() {
    String ref = cri.pull("test/busybox:1");
    assertEquals(busybox.id().toString(), ref);
    assertEquals(ref, cri.status(ref, false).getImage().getId());
  }

  @Test
  void pullImage_invalidReference_isInvalidArgumentNamingIt() {
    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class,
            () -> Calls.call(cri.endpoint::pullImage, PullImageRequest.newBuilder().setImage(CriFixture.spec("Bad//Name")).build()));
    assertTrue(e.getMessage().contains("Bad//Name"), e.getMessage());
  }

  @Test
  void credentials_fromAuthConfig_decodeEveryForm() {
    String auth = Base64.getEncoder().encodeToString("user:pa:ss".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        new Credentials("user", "pa:ss", "", ""), PullImage.credentials(AuthConfig.newBuilder().setAuth(auth).build()));
    assertEquals(
        new Credentials("u", "p", "", ""), PullImage.credentials(AuthConfig.newBuilder().setUsername("u").setPassword("p").build()));
    assertEquals(
        new Credentials("", "", "id", "reg"),
        PullImage.credentials(AuthConfig.newBuilder().setIdentityToken("id").setRegistryToken("reg").build()));
    assertTrue(PullImage.credentials(AuthConfig.getDefaultInstance()).isEmpty());
  }
}
