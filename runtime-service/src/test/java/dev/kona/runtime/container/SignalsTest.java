package dev.kona.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SignalsTest {

  @Test
  void parse_namesAndNumbersAsImagesWriteThem() {
    assertEquals(28, Signals.parse("SIGWINCH"));
    assertEquals(28, Signals.parse("winch"));
    assertEquals(10, Signals.parse(" 10 "));
    assertEquals(Signals.SIGTERM, Signals.parse(""));
  }

  /** An image's STOPSIGNAL is untrusted: anything odd is INVALID_ARGUMENT, never a raw exception. */
  @ParameterizedTest
  @ValueSource(strings = {"99999999999", "2147483648", "   ", "0", "65", "SIGNOPE", "-9"})
  void parse_oddStopSignals_areInvalidArgumentNamingTheSignal(String signal) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Signals.parse(signal));
    assertTrue(e.getMessage().contains("stop signal"), e.getMessage());
  }
}
