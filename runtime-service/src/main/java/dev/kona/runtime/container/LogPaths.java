package dev.kona.runtime.container;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A container's log file, inside its pod's log directory and nowhere else. The kubelet names the
 * directory (absolute, made by itself) and the file relative to it; every component between the
 * two is made here as a real directory, and a component that exists as a symlink (or as anything
 * but a directory) is refused, as is a log file that is a symlink. The monitor opens the file with
 * O_NOFOLLOW, so a symlink planted in its place later is not followed either.
 *
 * <p>The lexical rules (relative, no {@code ..}) are checked where the request enters, in
 * {@link #checkRelative}; the walk is here because it needs the pod's directory.
 */
public final class LogPaths {

  private LogPaths() {}

  /** INVALID_ARGUMENT unless {@code logPath} is a relative path without {@code ..} components. */
  public static void checkRelative(String field, String logPath) {
    if (logPath.isEmpty()) {
      return;
    }
    if (logPath.startsWith("/")) {
      throw new InvalidArgumentException(field + ": must be relative to the pod's log_directory, got \"" + logPath + "\"");
    }
    if (logPath.indexOf('\0') >= 0) {
      throw new InvalidArgumentException(field + ": contains a NUL byte");
    }
    for (String part : logPath.split("/")) {
      if (part.equals("..")) {
        throw new InvalidArgumentException(field + ": must stay inside the pod's log_directory, got \"" + logPath + "\"");
      }
    }
    if (logPath.endsWith("/") || Path.of(logPath).getFileName() == null) {
      throw new InvalidArgumentException(field + ": must name a file, got \"" + logPath + "\"");
    }
  }

  /**
   * The log file {@code logPath} under {@code directory}, its parent directories made; INVALID_ARGUMENT
   * naming log_path when a component is a symlink or not a directory, or the file is not a regular file.
   */
  static Path prepare(Path directory, String logPath) {
    checkRelative("config.log_path", logPath);
    createDirectory(directory, true);
    Path relative = Path.of(logPath);
    Path current = directory;
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      current = current.resolve(relative.getName(i));
      if (!createDirectory(current, false) && !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidArgumentException("config.log_path \"" + logPath + "\": " + current
            + " is a symlink or not a directory; the log must stay inside log_directory " + directory);
      }
    }
    Path file = current.resolve(relative.getFileName());
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidArgumentException("config.log_path \"" + logPath + "\": " + file
          + " exists and is a symlink or not a regular file");
    }
    return file;
  }

  /**
   * Before the monitor opens the log again (ReopenContainerLog): FAILED_PRECONDITION when a
   * directory between {@code directory} and the file has been replaced by a symlink or removed.
   */
  static void checkStillInside(String containerId, Path directory, String logPath) {
    Path relative = Path.of(logPath);
    Path current = directory;
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      current = current.resolve(relative.getName(i));
      if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        throw new FailedPreconditionException("reopen log of container " + containerId + ": " + current
            + " is no longer a directory (a symlink, or gone); the log must stay inside " + directory);
      }
    }
    Path file = current.resolve(relative.getFileName());
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new FailedPreconditionException("reopen log of container " + containerId + ": " + file
          + " exists and is a symlink or not a regular file");
    }
  }

  /** True when made; false when something already exists there. */
  private static boolean createDirectory(Path dir, boolean withParents) {
    try {
      if (withParents) {
        Files.createDirectories(dir);
        return true;
      }
      Files.createDirectory(dir);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new InternalException("create log directory " + dir + ": " + e.getMessage(), e);
    }
  }
}
