package dev.kona.linux.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.common.error.ErrorKind;
import org.junit.jupiter.api.Test;

class NativeCallExceptionTest {

  @Test
  void message_namesCallSubjectAndErrno() {
    NativeCallException e = NativeCallException.of("mount", "/run/kona/x", 2);
    assertEquals("mount /run/kona/x: ENOENT (no such file or directory)", e.getMessage());
    assertEquals(ErrorKind.NOT_FOUND, e.toKonaException().kind());
  }

  @Test
  void unknownErrno_isInternal() {
    NativeCallException e = NativeCallException.of("frob", null, 4095);
    assertEquals("frob: errno 4095", e.getMessage());
    assertEquals(ErrorKind.INTERNAL, e.kind());
  }
}
