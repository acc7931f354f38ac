package dev.kona.common.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files, real symlinks and a real tmpfs mount (needs root, as every kernel test here). */
class DirectoryTreeTest {

  @TempDir Path dir;

  @Test
  void delete_wholeTree() throws IOException {
    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("a/b/c"));
    Files.writeString(tree.resolve("a/b/c/file"), "x");
    Files.writeString(tree.resolve("top"), "y");
    Files.createSymbolicLink(tree.resolve("a/dangling"), Path.of("/nonexistent/kona"));
    Files.createLink(tree.resolve("a/hard"), tree.resolve("top"));
    DirectoryTree.delete(tree);
    assertFalse(Files.exists(tree, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void delete_symlinkToOutsideDirectory_removesLinkNotTarget() throws IOException {
    Path outside = dir.resolve("outside");
    Files.createDirectories(outside.resolve("sub"));
    Files.writeString(outside.resolve("precious"), "keep");
    Files.writeString(outside.resolve("sub/also"), "keep");
    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("inner"));
    Files.createSymbolicLink(tree.resolve("escape"), outside);
    Files.createSymbolicLink(tree.resolve("inner/up"), Path.of("../../outside/sub"));

    DirectoryTree.delete(tree);

    assertFalse(Files.exists(tree, LinkOption.NOFOLLOW_LINKS));
    assertEquals("keep", Files.readString(outside.resolve("precious")));
    assertEquals("keep", Files.readString(outside.resolve("sub/also")));
  }

  @Test
  void delete_targetItselfASymlink_removesOnlyTheLink() throws IOException {
    Path outside = dir.resolve("outside");
    Files.createDirectories(outside);
    Files.writeString(outside.resolve("precious"), "keep");
    Path link = dir.resolve("link");
    Files.createSymbolicLink(link, outside);
    DirectoryTree.delete(link);
    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    assertEquals("keep", Files.readString(outside.resolve("precious")));
  }

  @Test
  void delete_missingOrPlainFile() throws IOException {
    DirectoryTree.delete(dir.resolve("missing"));
    Path file = dir.resolve("file");
    Files.writeString(file, "x");
    DirectoryTree.delete(file);
    assertFalse(Files.exists(file));
  }

  @Test
  void delete_mountPointUnderTree_refusedAndNothingDeleted() throws Exception {
    Path tree = dir.resolve("tree");
    Path mnt = tree.resolve("deep/mnt");
    Files.createDirectories(mnt);
    Files.writeString(tree.resolve("sibling"), "still here");
    run("mount", "-t", "tmpfs", "-o", "size=1m", "kona-test", mnt.toString());
    try {
      Files.writeString(mnt.resolve("on-the-mount"), "must survive");
      DirectoryTree.MountedException e = assertThrows(DirectoryTree.MountedException.class, () -> DirectoryTree.delete(tree));
      assertEquals(mnt.toRealPath().toString(), e.getOtherFile());
      assertEquals("must survive", Files.readString(mnt.resolve("on-the-mount")));
      assertEquals("still here", Files.readString(tree.resolve("sibling")));
      assertThrows(DirectoryTree.MountedException.class, () -> DirectoryTree.delete(mnt));
    } finally {
      run("umount", mnt.toString());
    }
    DirectoryTree.delete(tree);
    assertFalse(Files.exists(tree));
  }

  @Test
  void delete_pathWithSpaceUnderAMount_matchesEscapedMountinfo() throws Exception {
    Path tree = dir.resolve("with space");
    Path mnt = tree.resolve("m");
    Files.createDirectories(mnt);
    run("mount", "-t", "tmpfs", "-o", "size=1m", "kona-test", mnt.toString());
    try {
      assertThrows(DirectoryTree.MountedException.class, () -> DirectoryTree.delete(tree));
      assertTrue(Files.isDirectory(mnt));
    } finally {
      run("umount", mnt.toString());
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
  }
}
