package dev.kona.runtime.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MemoryFiguresTest {

  @Test
  void available_isLimitMinusWorkingSet() {
    assertEquals(64L << 20, MemoryFigures.available(128L << 20, 64L << 20));
  }

  @Test
  void available_workingSetAboveLimit_isZero() {
    assertEquals(0, MemoryFigures.available(100, 150));
  }

  @Test
  void available_noLimit_isUnknown() {
    assertEquals(-1, MemoryFigures.available(0, 10));
    // cgroup v1's "unlimited": LONG_MAX rounded down to the page size
    assertEquals(-1, MemoryFigures.available(9223372036854771712L, 10));
  }
}
