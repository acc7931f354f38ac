package dev.kona.common.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The one recursive delete: it never follows a symlink (a link is removed, not what it points to;
 * every directory is opened relative to its parent with {@code O_NOFOLLOW}, so a directory swapped
 * for a link during the walk is not entered) and never crosses into a mount point (a mount that
 * failed to come off must not have its contents deleted through it).
 */
public final class DirectoryTree {

  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private DirectoryTree() {}

  /** Thrown, before anything is deleted, when something is mounted at or under the tree. */
  public static final class MountedException extends FileSystemException {
    public MountedException(Path tree, String mountPoint) {
      super(tree.toString(), mountPoint, "not removed: a mount point is at or under it");
    }
  }

  /**
   * Deletes a file, a symlink or a directory tree; a missing path counts as deleted.
   *
   * @throws MountedException if {@code target} or anything under it is a mount point (nothing is
   *     deleted then)
   */
  public static void delete(Path target) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException gone) {
      return;
    }
    String mounted = firstMountAtOrUnder(canonical(target));
    if (mounted != null) {
      throw new MountedException(target, mounted);
    }
    if (!attrs.isDirectory()) {
      Files.deleteIfExists(target);
      return;
    }
    try (DirectoryStream<Path> top = Files.newDirectoryStream(target)) {
      if (!(top instanceof SecureDirectoryStream<Path> secure)) {
        throw new IOException("remove " + target + ": this file system cannot open directories relative to their parent");
      }
      deleteContents(secure);
    } catch (NoSuchFileException gone) {
      return;
    }
    Files.deleteIfExists(target);
  }

  private static void deleteContents(SecureDirectoryStream<Path> dir) throws IOException {
    List<Path> names = new ArrayList<>();
    for (Path entry : dir) {
      names.add(entry.getFileName());
    }
    for (Path name : names) {
      BasicFileAttributes attrs;
      try {
        attrs = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
      } catch (NoSuchFileException gone) {
        continue;
      }
      try {
        if (attrs.isDirectory()) {
          try (SecureDirectoryStream<Path> child = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
            deleteContents(child);
          }
          dir.deleteDirectory(name);
        } else {
          dir.deleteFile(name);
        }
      } catch (NoSuchFileException gone) {
        // removed by someone else meanwhile
      }
    }
  }

  /** The path as mountinfo spells it: symlinks in its parent resolved (the last name is not followed). */
  private static Path canonical(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    return parent == null ? absolute : parent.toRealPath().resolve(absolute.getFileName());
  }

  /** The first mount point that is {@code tree} or lies under it, or null. */
  static String firstMountAtOrUnder(Path tree) throws IOException {
    String prefix = tree.toString().equals("/") ? "/" : tree + "/";
    for (String line : Files.readAllLines(MOUNTINFO)) {
      String[] fields = line.split(" ", 6);
      if (fields.length < 5) {
        continue;
      }
      String mountPoint = unescape(fields[4]);
      if (mountPoint.equals(tree.toString()) || mountPoint.startsWith(prefix)) {
        return mountPoint;
      }
    }
    return null;
  }

  /** mountinfo writes space, tab, newline and backslash as {@code \ooo}. */
  private static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int from) {
    for (int i = from; i < from + 3; i++) {
      if (i >= s.length() || s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
