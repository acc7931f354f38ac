package dev.kona.engine;

import dev.kona.common.error.InternalException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The native engine's directory tree, which outlives the daemon: {@code containers/<id>/} per
 * container (plan, bundle, status written by its monitor, ctl.sock), {@code exec/<exec-id>/} per
 * exec, {@code bin/} for the installed helper. Its length is free: a control socket path longer
 * than sun_path's 108 bytes is reached through /proc/self/fd (see MonitorClient).
 */
public record RunRoot(Path root) {

  public RunRoot {
    if (root == null || !root.isAbsolute()) {
      throw new IllegalArgumentException("run root: expected an absolute path, got " + root);
    }
  }

  public Path containers() {
    return root.resolve("containers");
  }

  public Path container(ContainerId id) {
    return containers().resolve(id.value());
  }

  public Path execs() {
    return root.resolve("exec");
  }

  public Path bin() {
    return root.resolve("bin");
  }

  /**
   * Removes a state directory and everything in it; a missing one is fine, and so are entries that
   * vanish meanwhile (a monitor removes its socket as it exits; two threads may clean up one exec).
   */
  static void deleteTree(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
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
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          if (e != null && !(e instanceof NoSuchFileException)) {
            throw e;
          }
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new InternalException("remove state directory " + dir, e);
    }
  }
}
