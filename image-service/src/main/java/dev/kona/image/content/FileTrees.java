package dev.kona.image.content;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Disk usage of a tree, never following symlinks (deleting a tree: {@code common.fs.DirectoryTree}). */
public final class FileTrees {

  private FileTrees() {}

  /**
   * Bytes of regular files and count of inodes under {@code root}, each hard-linked inode once (as
   * du counts). A full walk: call rarely.
   */
  public static long[] usage(Path root) throws IOException {
    long[] bytesAndInodes = new long[2];
    java.util.Set<Object> seen = new java.util.HashSet<>();
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return bytesAndInodes;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            bytesAndInodes[1]++;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.fileKey() != null && !seen.add(attrs.fileKey())) {
              return FileVisitResult.CONTINUE;
            }
            if (attrs.isRegularFile()) {
              bytesAndInodes[0] += attrs.size();
            }
            bytesAndInodes[1]++;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
    return bytesAndInodes;
  }
}
