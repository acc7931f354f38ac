package dev.kona.image.content;

import dev.kona.common.error.ResourceExhaustedException;
import dev.kona.linux.syscall.Errno;
import dev.kona.linux.syscall.NativeCallException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recognises a full filesystem (ENOSPC) or an exhausted quota (EDQUOT) in an I/O failure and turns
 * it into RESOURCE_EXHAUSTED naming the filesystem, which is what the kubelet expects from a pull
 * onto a full disk (it then garbage-collects images and retries), instead of INTERNAL with Java's
 * exception text. The JDK reports these errnos only as their strerror text, so that is what is
 * matched; native calls carry the errno itself.
 */
public final class DiskFull {

  private static final String ENOSPC_TEXT = "No space left on device";
  private static final String EDQUOT_TEXT = "Disk quota exceeded";

  private DiskFull() {}

  /** Whether {@code failure} or one of its causes is ENOSPC or EDQUOT. */
  public static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof NativeCallException n && (n.is(Errno.ENOSPC) || n.is(Errno.EDQUOT))) {
        return true;
      }
      if (t instanceof IOException io && mentions(io)) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentions(IOException e) {
    String text = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
    return text != null && (text.contains(ENOSPC_TEXT) || text.contains(EDQUOT_TEXT));
  }

  /**
   * RESOURCE_EXHAUSTED for {@code action} writing under {@code where}: "ACTION: no space left on the
   * filesystem holding WHERE (tmpfs mounted at /var/lib/kona, 0 of 4194304 bytes free)".
   */
  public static ResourceExhaustedException error(String action, Path where, Throwable cause) {
    String what = quota(cause) ? "disk quota exceeded" : "no space left";
    return new ResourceExhaustedException(
        action + ": " + what + " on the filesystem holding " + where + describe(where), cause);
  }

  /**
   * RESOURCE_EXHAUSTED for {@code action} whose write failed somewhere not known in advance (a pod
   * or container operation writes to both roots): the filesystem is the one holding the file the
   * failure names (a {@link FileSystemException}'s file, a native call's path), else nothing more.
   */
  public static ResourceExhaustedException error(String action, Throwable cause) {
    Path where = failedPath(cause);
    if (where == null) {
      String what = quota(cause) ? "disk quota exceeded" : "no space left";
      return new ResourceExhaustedException(action + ": " + what + " on a filesystem Kona writes to", cause);
    }
    return error(action, where, cause);
  }

  /** The file the innermost failure with one names, as an absolute path; null if none does. */
  private static Path failedPath(Throwable failure) {
    Path found = null;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String file = null;
      if (t instanceof FileSystemException fs) {
        file = fs.getFile();
      } else if (t instanceof NativeCallException n) {
        file = n.subject();
      }
      if (file != null && file.startsWith("/")) {
        found = Path.of(file);
      }
    }
    return found;
  }

  private static boolean quota(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof NativeCallException n && n.is(Errno.EDQUOT)) {
        return true;
      }
      if (t instanceof IOException io && String.valueOf(io.getMessage()).contains(EDQUOT_TEXT)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Path where) {
    Path existing = where.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return "";
    }
    try {
      FileStore store = Files.getFileStore(existing);
      return " (" + store.type() + " mounted at " + mountPoint(existing, store) + ", " + store.getUsableSpace() + " of "
          + store.getTotalSpace() + " bytes free)";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** The topmost ancestor of {@code path} still on {@code store}. */
  private static Path mountPoint(Path path, FileStore store) throws IOException {
    Path mount = path;
    for (Path up = path.getParent(); up != null; up = up.getParent()) {
      if (!Files.getFileStore(up).equals(store)) {
        break;
      }
      mount = up;
    }
    return mount;
  }
}
