package dev.kona.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class KonaExceptionTest {

  @Test
  void withContext_keepsKindAndPrefixesMessage() {
    KonaException inner = new NotFoundException("layer sha256:ab: not found");
    KonaException outer = inner.withContext("pull docker.io/library/busybox:1.36");

    assertEquals(ErrorKind.NOT_FOUND, outer.kind());
    assertEquals("pull docker.io/library/busybox:1.36: layer sha256:ab: not found", outer.getMessage());
    assertSame(inner, outer.getCause());
  }

  @Test
  void of_buildsEveryKind() {
    for (ErrorKind kind : ErrorKind.values()) {
      assertEquals(kind, KonaException.of(kind, "m", null).kind());
    }
  }
}
