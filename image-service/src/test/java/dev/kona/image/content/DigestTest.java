package dev.kona.image.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {

  @Test
  void sha256_ofKnownContent_matchesTheStandardValue() {
    assertEquals(
        "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        Digest.sha256("hello".getBytes(StandardCharsets.US_ASCII)).toString());
  }

  @Test
  void parse_roundTrips() {
    String text = "sha256:" + "0123456789abcdef".repeat(4);
    assertEquals(text, Digest.parse(text).toString());
  }

  @Test
  void parse_wrongLengthOrAlgorithmOrCase_isInvalid() {
    assertThrows(InvalidArgumentException.class, () -> Digest.parse("sha256:abc"));
    assertThrows(InvalidArgumentException.class, () -> Digest.parse("md5:" + "a".repeat(32)));
    assertThrows(InvalidArgumentException.class, () -> Digest.parse("sha256:" + "A".repeat(64)));
    assertThrows(InvalidArgumentException.class, () -> Digest.parse("nocolon"));
  }

  @Test
  void looksLikeId_acceptsFullAndBareHex() {
    assertTrue(Digest.looksLikeId("sha256:" + "a".repeat(64)));
    assertTrue(Digest.looksLikeId("a".repeat(64)));
    assertFalse(Digest.looksLikeId("busybox"));
  }
}
