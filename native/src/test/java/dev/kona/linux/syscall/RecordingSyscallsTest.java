package dev.kona.linux.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RecordingSyscallsTest {
  private final RecordingSyscalls fake = new RecordingSyscalls();

  @Test
  void records_callsInOrder() {
    fake.mount("src", "/t", "tmpfs", MountFlags.MS_RDONLY, null);
    fake.umount2("/t", MountFlags.MNT_DETACH);
    assertEquals("[mount[src, /t, tmpfs, 1, null], umount2[/t, 2]]", fake.calls().toString());
  }

  @Test
  void failNext_injectsErrnoThenSucceeds() {
    fake.failNext("umount2", Errno.EBUSY, 1);
    NativeCallException e = assertThrows(NativeCallException.class, () -> fake.umount2("/t", 0));
    assertTrue(e.is(Errno.EBUSY));
    assertEquals("umount2 /t: EBUSY (device or resource busy)", e.getMessage());
    fake.umount2("/t", 0);
    assertEquals(2, fake.calls("umount2").size());
  }

  @Test
  void failAlways_matchesOnArguments() {
    fake.failAlways(c -> "/bad".equals(c.arg(1)), Errno.ENOENT);
    fake.mount("a", "/good", null, 0, null);
    assertThrows(NativeCallException.class, () -> fake.mount("a", "/bad", null, 0, null));
    assertThrows(NativeCallException.class, () -> fake.mount("a", "/bad", null, 0, null));
  }

  @Test
  void ownedFd_closesOnceUnderRace() throws Exception {
    OwnedFd fd = fake.open("/x", 0, 0);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        fd.close();
      }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(1, fake.calls("close").size());
    assertEquals(Set.of(), fake.openFds());
  }

  @Test
  void ownedFd_releaseTransfersOwnership() {
    OwnedFd fd = fake.eventfd(0, 0);
    int raw = fd.release();
    fd.close();
    assertEquals(Set.of(raw), fake.openFds(), "released fd is not closed by its old owner");
    assertThrows(IllegalStateException.class, fd::release);
  }

  @Test
  void waitPidfd_reportsInjectedExit() {
    try (OwnedFd pidfd = fake.pidfdOpen(77)) {
      assertEquals(null, fake.waitPidfd(pidfd, false));
      fake.exitProcess(new ChildExit(77, ChildExit.CLD_KILLED, 9));
      assertTrue(fake.pollReadable(pidfd, 0));
      assertEquals(137, fake.waitPidfd(pidfd, true).exitCode());
    }
  }

  @Test
  void signal_parsesNamesAndNumbers() {
    assertEquals(Signal.SIGTERM, Signal.parse("SIGTERM"));
    assertEquals(Signal.SIGKILL, Signal.parse("kill"));
    assertEquals(Signal.SIGUSR1, Signal.parse("10"));
    assertThrows(dev.kona.common.error.InvalidArgumentException.class, () -> Signal.parse("SIGFOO"));
  }
}
