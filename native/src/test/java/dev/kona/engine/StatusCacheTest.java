package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status cache against a real process standing in for a monitor. */
class StatusCacheTest {

  @TempDir Path dir;
  private Process monitor;
  private final StatusCache cache = new StatusCache();
  private final AtomicInteger reads = new AtomicInteger();
  private final Function<Path, MonitorStatus> read = d -> {
    reads.incrementAndGet();
    try {
      return MonitorStatus.read(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  };

  @BeforeEach
  void standInMonitor() throws IOException {
    monitor = new ProcessBuilder("sleep", "60").start();
  }

  @AfterEach
  void endIt() throws InterruptedException {
    monitor.destroyForcibly();
    monitor.waitFor(10, TimeUnit.SECONDS);
    cache.forget(dir);
  }

  @Test
  void runningStatus_isReadOnceWhileItsMonitorLives() throws IOException {
    writeStatus("running", monitorPid(), ProcStat.startTicks(monitorPid()));
    StatusCache.Observed first = cache.get(dir, read);
    assertEquals("running", first.status().status());
    assertTrue(first.monitorAlive());
    writeStatus("stopped", monitorPid(), ProcStat.startTicks(monitorPid())); // no monitor writes while it lives
    assertEquals("running", cache.get(dir, read).status().status());
    assertEquals(1, reads.get(), "the second call reads nothing");
  }

  @Test
  void monitorExit_makesTheNextCallReadTheFileAgain() throws Exception {
    writeStatus("running", monitorPid(), ProcStat.startTicks(monitorPid()));
    cache.get(dir, read);
    writeStatus("stopped", monitorPid(), ProcStat.startTicks(monitorPid()));
    monitor.destroyForcibly();
    monitor.waitFor(10, TimeUnit.SECONDS);
    StatusCache.Observed after = cache.get(dir, read);
    assertEquals("stopped", after.status().status());
    assertFalse(after.monitorAlive());
    assertEquals(2, reads.get());
    cache.get(dir, read);
    assertEquals(2, reads.get(), "a stopped status is final");
  }

  @Test
  void forget_dropsTheEntry() throws IOException {
    writeStatus("created", monitorPid(), ProcStat.startTicks(monitorPid()));
    cache.get(dir, read);
    writeStatus("running", monitorPid(), ProcStat.startTicks(monitorPid()));
    cache.forget(dir);
    assertEquals("running", cache.get(dir, read).status().status());
    assertEquals(2, reads.get());
  }

  @Test
  void statusOfAnotherProcessWithTheSamePid_isNotVouchedFor() throws IOException {
    writeStatus("running", monitorPid(), ProcStat.startTicks(monitorPid()) + 1); // pid reused since
    StatusCache.Observed observed = cache.get(dir, read);
    assertFalse(observed.monitorAlive());
    cache.get(dir, read);
    assertEquals(2, reads.get(), "nothing cached");
    assertEquals(0, cache.size());
  }

  @Test
  void readThatRacesWithForget_isNotCached() throws IOException {
    writeStatus("created", monitorPid(), ProcStat.startTicks(monitorPid()));
    cache.get(dir, d -> {
      cache.forget(d); // a start request lands while this read is in flight
      return read.apply(d);
    });
    assertEquals(0, cache.size());
  }

  @Test
  void missingStatus_isNull() {
    assertNull(cache.get(dir, read));
    assertEquals(0, cache.size());
  }

  private int monitorPid() {
    return (int) monitor.pid();
  }

  private void writeStatus(String status, int monitorPid, long monitorStart) throws IOException {
    Files.writeString(dir.resolve(MonitorStatus.FILE), "status=" + status + "\nmonitor_pid=" + monitorPid
        + "\nmonitor_start=" + monitorStart + "\npid=" + monitorPid + "\n");
  }
}
