package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kona.common.error.InternalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Removing an engine state directory with real files and a real tmpfs mount (needs root). */
class RunRootTest {

  @TempDir Path dir;

  @Test
  void deleteTree_mountUnderIt_refusedWithoutDeletingThroughTheMount() throws Exception {
    Path container = dir.resolve("containers/c1");
    Path pinned = Files.createDirectories(container.resolve("pinned"));
    Files.writeString(container.resolve("plan"), "plan");
    run("mount", "-t", "tmpfs", "-o", "size=1m", "kona-test", pinned.toString());
    try {
      Files.writeString(pinned.resolve("on-the-mount"), "must survive");
      assertThrows(InternalException.class, () -> RunRoot.deleteTree(container));
      assertEquals("must survive", Files.readString(pinned.resolve("on-the-mount")));
    } finally {
      run("umount", pinned.toString());
    }
    RunRoot.deleteTree(container);
    assertFalse(Files.exists(container));
  }

  @Test
  void deleteTree_symlinkOut_notFollowed() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "keep");
    Path exec = Files.createDirectories(dir.resolve("exec/e1"));
    Files.createSymbolicLink(exec.resolve("link"), outside);
    RunRoot.deleteTree(exec);
    assertFalse(Files.exists(exec));
    assertEquals("keep", Files.readString(outside.resolve("keep")));
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
  }
}
