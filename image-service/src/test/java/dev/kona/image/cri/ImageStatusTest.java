package dev.kona.image.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.cri.api.v1.ImageStatusResponse;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SampleImages;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ImageStatusTest {

  @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();
  static BuiltImage image = SampleImages.withUser("1000");

  @TempDir Path temp;
  CriFixture cri;

  @BeforeAll
  static void push() {
    registry.pusher().push("test/status", "all", image);
    registry.pusher().push("test/status", "other", image);
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
  void imageStatus_unknownImage_isEmptyNotAnError() {
    ImageStatusResponse response = cri.status("docker.io/library/never-pulled:1", true);
    assertFalse(response.hasImage());
    assertTrue(response.getInfoMap().isEmpty());
    assertFalse(cri.status("sha256:" + "0".repeat(64), false).hasImage());
  }

  @Test
  void imageStatus_byIdTagAndDigest_isTheSame() {
    String id = cri.pull("test/status:all");
    cri.pull("test/status:other");
    ImageStatusResponse byId = cri.status(id, false);
    assertEquals(2, byId.getImage().getRepoTagsCount());
    assertEquals(byId, cri.status(cri.name("test/status:all"), false));
    assertEquals(byId, cri.status(cri.name("test/status:other"), false));
    assertEquals(byId, cri.status(byId.getImage().getRepoDigests(0), false));
    assertEquals(byId, cri.status(id.substring("sha256:".length()), false));
  }

  @Test
  void imageStatus_verbose_carriesTheImageConfig() throws Exception {
    String id = cri.pull("test/status:all");
    ImageStatusResponse response = cri.status(id, true);
    JsonNode info = new ObjectMapper().readTree(response.getInfoOrThrow("info"));
    assertEquals("1000", info.path("imageSpec").path("config").path("User").asText());
    assertEquals("amd64", info.path("imageSpec").path("architecture").asText());
    assertEquals(image.diffIds().getFirst().toString(), info.path("chainID").asText());
  }
}
