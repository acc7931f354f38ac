package dev.kona.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kona.common.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class HostPortTest {

  @Test
  void parse_v4AndV6() {
    assertEquals(new HostPort("127.0.0.1", 9469), HostPort.parse("127.0.0.1:9469", "f"));
    assertEquals(new HostPort("::1", 80), HostPort.parse("[::1]:80", "f"));
    assertEquals("[::1]:80", new HostPort("::1", 80).toString());
  }

  @Test
  void parse_badInput_namesTheField() {
    InvalidArgumentException e =
        assertThrows(InvalidArgumentException.class, () -> HostPort.parse("localhost", "metrics.address"));
    assertEquals("metrics.address: expected host:port, got \"localhost\"", e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> HostPort.parse("h:x", "f"));
  }
}
