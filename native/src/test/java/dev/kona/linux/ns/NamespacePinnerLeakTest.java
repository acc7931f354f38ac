package dev.kona.linux.ns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.linux.mount.MountTable;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.testing.KernelTempDir;
import dev.kona.linux.testing.NoLeaks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Many pin/unpin cycles leave the mount table, the run dir and the fd table as they were. */
@ExtendWith(NoLeaks.class)
class NamespacePinnerLeakTest {
  private static final int CYCLES = 200;

  @TempDir(factory = KernelTempDir.class)
  Path run;

  @Test
  void pinUnpin_manyCycles_leavesNothing() throws IOException {
    NamespacePinner pinner = new NamespacePinner(LinuxSyscalls.get());
    Set<NamespaceType> pod = Set.of(NamespaceType.NET, NamespaceType.IPC, NamespaceType.UTS);
    long fdsBefore = openFds();

    long start = System.nanoTime();
    for (int i = 0; i < CYCLES; i++) {
      Path podDir = run.resolve("pod-" + i);
      PinnedNamespaces ns = pinner.pin(podDir, pod, "pod-" + i);
      pinner.unpin(ns);
      Files.delete(podDir);
    }
    long took = System.nanoTime() - start;

    System.out.printf("pin+unpin net/ipc/uts: %.2f ms per pod over %d%n", took / 1e6 / CYCLES, CYCLES);
    assertEquals(List.of(), MountTable.under(run.toString()));
    try (Stream<Path> left = Files.list(run)) {
      assertEquals(0, left.count());
    }
    assertTrue(openFds() <= fdsBefore + 2, "fds before " + fdsBefore + ", after " + openFds());
  }

  private static long openFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
