package dev.kona.runtime.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LiveProcessTest {

  @Test
  void parseStartTicks_commandNameWithSpacesAndParens() {
    String stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 10000 200";
    assertEquals(987654, LiveProcess.parseStartTicks(stat));
  }

  @Test
  void parseStartTicks_zombieCountsAsGone() {
    String stat = "4242 (sh) Z 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 0 0";
    assertEquals(-1, LiveProcess.parseStartTicks(stat));
  }

  @Test
  void alive_untilTheProcessExits() throws Exception {
    Process p = new ProcessBuilder("sleep", "1000").start();
    try {
      LiveProcess live = LiveProcess.of((int) p.pid());
      assertTrue(live != null && live.alive());
      p.destroy();
      p.waitFor();
      assertFalse(live.alive(), "exited and reaped");
      assertNull(LiveProcess.of((int) p.pid()));
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void alive_ownProcess() {
    assertTrue(LiveProcess.of((int) ProcessHandle.current().pid()).alive());
  }
}
