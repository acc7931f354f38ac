package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kona.common.error.InvalidArgumentException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExitStatusTest {

  @Test
  void code_signalFoldsTo128PlusN() {
    ExitStatus killed = new ExitStatus(0, 9, false, Instant.EPOCH);
    assertEquals(137, killed.code());
    assertEquals("Error", killed.reason());
  }

  @Test
  void reason_zeroIsCompletedAndOomWins() {
    assertEquals("Completed", new ExitStatus(0, 0, false, Instant.EPOCH).reason());
    assertEquals("OOMKilled", new ExitStatus(0, 9, true, Instant.EPOCH).reason());
  }

  @Test
  void new_exitCodeOutOfRange() {
    assertThrows(InvalidArgumentException.class, () -> new ExitStatus(256, 0, false, Instant.EPOCH));
  }

  @Test
  void containerId_rejectsPathSeparators() {
    assertThrows(InvalidArgumentException.class, () -> ContainerId.parse("../etc"));
    assertEquals("abc-1", ContainerId.parse("abc-1").toString());
  }
}
