package dev.kona.runtime.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CpuRateTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void rate_twoCoresBusyForHalfASecond_isTwoBillionNanoCores() {
    long rate = CpuRate.rate(new CpuRate.Sample(5 * SECOND, 10 * SECOND), new CpuRate.Sample(6 * SECOND, 10 * SECOND + SECOND / 2));
    assertEquals(2_000_000_000L, rate);
  }

  @Test
  void rate_idle_isZero() {
    assertEquals(0, CpuRate.rate(new CpuRate.Sample(7, 0), new CpuRate.Sample(7, SECOND)));
  }

  @Test
  void rate_sameInstantOrCounterBackwards_isUnknown() {
    assertEquals(-1, CpuRate.rate(new CpuRate.Sample(1, 5), new CpuRate.Sample(2, 5)));
    assertEquals(-1, CpuRate.rate(new CpuRate.Sample(9, 5), new CpuRate.Sample(2, 6)));
  }

  @Test
  void rate_longIntervalOfManyCores_doesNotOverflow() {
    long day = 86_400 * SECOND;
    // 64 cores busy for a day: 5.5e18 ns of CPU, close to Long.MAX_VALUE / 1.7
    long rate = CpuRate.rate(new CpuRate.Sample(0, 0), new CpuRate.Sample(64 * day, day));
    assertEquals(64 * SECOND, rate);
  }

  @Test
  void update_firstSample_hasNoRate_thenRatesAgainstIt() {
    CpuRate cpu = new CpuRate(SECOND);
    assertEquals(-1, cpu.update("c", new CpuRate.Sample(0, 0)));
    assertEquals(SECOND / 4, cpu.update("c", new CpuRate.Sample(SECOND / 2, 2 * SECOND)));
  }

  @Test
  void update_pollsFasterThanTheWindow_keepTheBaseline() {
    CpuRate cpu = new CpuRate(SECOND);
    cpu.update("c", new CpuRate.Sample(0, 0));
    // 10 ms later, 10 ms of CPU: one core, measured against the first sample
    assertEquals(SECOND, cpu.update("c", new CpuRate.Sample(10_000_000, 10_000_000)));
    // 20 ms after the start, still against the start: 10 ms of CPU in 20 ms
    assertEquals(SECOND / 2, cpu.update("c", new CpuRate.Sample(10_000_000, 20_000_000)));
    // past the window: the baseline moves to this sample
    assertEquals(SECOND / 2, cpu.update("c", new CpuRate.Sample(SECOND / 2, SECOND)));
    assertEquals(0, cpu.update("c", new CpuRate.Sample(SECOND / 2, 2 * SECOND)));
  }

  @Test
  void update_counterReset_restartsTheBaseline() {
    CpuRate cpu = new CpuRate(SECOND);
    cpu.update("c", new CpuRate.Sample(9 * SECOND, 0));
    assertEquals(-1, cpu.update("c", new CpuRate.Sample(SECOND, SECOND)));
    assertEquals(SECOND, cpu.update("c", new CpuRate.Sample(2 * SECOND, 2 * SECOND)));
  }

  @Test
  void forget_dropsTheBaseline() {
    CpuRate cpu = new CpuRate(SECOND);
    cpu.update("c", new CpuRate.Sample(0, 0));
    cpu.forget("c");
    assertEquals(-1, cpu.update("c", new CpuRate.Sample(SECOND, SECOND)));
  }
}
