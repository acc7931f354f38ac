package dev.kona.image.content;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Whole-tree operations that never follow symlinks. */
public final class FileTrees {

  private FileTrees() {}

  /** Deletes a file or a directory tree; a missing path counts as deleted. */
  public static void deleteRecursively(Path target) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(target);
      return;
    }
    Files.walkFileTree(
        target,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

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
