package dev.kona.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateRootsTest {

  @TempDir Path tmp;

  @Test
  void prepare_newRoots_ownerOnly_parentsAsUsual() throws IOException {
    Path state = tmp.resolve("var/lib/kona");
    Path run = tmp.resolve("run/kona");
    PrivateRoots.prepare(state, run, tmp.resolve("sockets/kona.sock"));
    assertEquals("rwx------", mode(state));
    assertEquals("rwx------", mode(run));
    assertEquals("rwxr-xr-x", mode(tmp.resolve("var/lib")), "parents are not the roots");
  }

  @Test
  void prepare_existingOpenRoots_tightened() throws IOException {
    Path state = Files.createDirectories(tmp.resolve("state"));
    Path run = Files.createDirectories(tmp.resolve("run"));
    Path old = Files.createDirectories(state.resolve("images/snapshots"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
    PrivateRoots.prepare(state, run, tmp.resolve("kona.sock"));
    assertEquals("rwx------", mode(state));
    assertEquals("rwx------", mode(run));
    assertEquals("rwxr-xr-x", mode(old), "below a private root, modes are left as they are");
  }

  @Test
  void prepare_socketInRunRoot_groupMaySearchRunRootOnly() throws IOException {
    Path run = tmp.resolve("run");
    Path leftover = Files.createDirectories(run.resolve("some-older-dir"));
    PrivateRoots.prepare(tmp.resolve("state"), run, run.resolve("kona.sock"));
    assertEquals("rwx--x---", mode(run), "the socket's group reaches the socket (0660) and nothing else");
    for (String name : PrivateRoots.RUN_ROOT_DIRS) {
      assertEquals("rwx------", mode(run.resolve(name)), name);
    }
    assertEquals("rwx------", mode(leftover));
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
