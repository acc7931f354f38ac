package dev.kona.server.streaming;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kona.common.error.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

class StdioOptionsTest {

  @Test
  void new_ttyWithStderr_invalid() {
    assertThrows(InvalidArgumentException.class, () -> new StdioOptions(true, true, true, true));
  }

  @Test
  void new_noStream_invalid() {
    assertThrows(InvalidArgumentException.class, () -> new StdioOptions(false, false, false, true));
  }

  @Test
  void execSpec_emptyCommandOrContainer_invalid() {
    StdioOptions out = new StdioOptions(false, true, false, false);
    assertThrows(InvalidArgumentException.class, () -> new ExecSpec("c", List.of(), out));
    assertThrows(InvalidArgumentException.class, () -> new ExecSpec(" ", List.of("ls"), out));
    assertThrows(InvalidArgumentException.class, () -> new PortForwardSpec("s", List.of(0)));
  }
}
