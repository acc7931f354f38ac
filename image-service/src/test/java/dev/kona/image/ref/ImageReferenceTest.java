package dev.kona.image.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.image.content.Digest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {

  private static final String HEX = "a".repeat(64);

  @Test
  void parse_shortName_normalisesToDockerHubLibraryLatest() {
    assertEquals("docker.io/library/busybox:latest", ImageReference.parse("busybox").toString());
  }

  @Test
  void parse_userRepository_keepsUserAndAddsLatest() {
    assertEquals("docker.io/someone/tool:latest", ImageReference.parse("someone/tool").toString());
    assertEquals("docker.io/library/busybox:1.36", ImageReference.parse("index.docker.io/busybox:1.36").toString());
  }

  @Test
  void parse_registryWithPort_isRegistryNotTag() {
    ImageReference ref = ImageReference.parse("localhost:5000/team/app");
    assertEquals("localhost:5000", ref.registry());
    assertEquals("team/app", ref.repository());
    assertEquals(Optional.of("latest"), ref.tag());
    assertEquals("127.0.0.1:5000/a/b:v1", ImageReference.parse("127.0.0.1:5000/a/b:v1").toString());
  }

  @Test
  void parse_digest_hasNoTagAndNoRepoTag() {
    ImageReference ref = ImageReference.parse("gcr.io/proj/img@sha256:" + HEX);
    assertEquals(Optional.empty(), ref.tag());
    assertEquals(Optional.of(Digest.parse("sha256:" + HEX)), ref.digest());
    assertEquals("sha256:" + HEX, ref.manifestReference());
    assertEquals(Optional.empty(), ref.repoTag());
    assertEquals("gcr.io/proj/img@sha256:" + HEX, ref.toString());
  }

  @Test
  void parse_tagAndDigest_fetchesByDigest() {
    ImageReference ref = ImageReference.parse("registry.k8s.io/pause:3.9@sha256:" + HEX);
    assertEquals(Optional.of("3.9"), ref.tag());
    assertEquals("sha256:" + HEX, ref.manifestReference());
  }

  @Test
  void parse_uppercaseRepository_isInvalidNamingTheReference() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> ImageReference.parse("docker.io/Library/BusyBox"));
    assertTrue(e.getMessage().contains("docker.io/Library/BusyBox"), e.getMessage());
    assertEquals(e.getMessage().indexOf("parse image reference"), e.getMessage().lastIndexOf("parse image reference"), e.getMessage());
  }

  @Test
  void parse_badInputs_areInvalid() {
    for (String bad : new String[] {"", "a//b", "busybox:", "busybox@sha256:abc", "-x", "a:b:c/d:e f"}) {
      assertThrows(InvalidArgumentException.class, () -> ImageReference.parse(bad), bad);
    }
  }

  @Test
  void repoDigest_usesNameAndDigest() {
    ImageReference ref = ImageReference.parse("quay.io/org/app:v2");
    assertEquals("quay.io/org/app@sha256:" + HEX, ref.repoDigest(Digest.parse("sha256:" + HEX)));
    assertEquals(Optional.of("quay.io/org/app:v2"), ref.repoTag());
  }
}
