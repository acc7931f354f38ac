package dev.kona.common.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The one way Kona replaces a file whole: a temp file beside the target, created with the final
 * mode, written and fsynced, renamed over the target, and the directory fsynced. A reader sees the
 * old content or the new, never a part; after a crash at any instant the target is old or new and
 * at most a temp file named {@code .tmp-<name>.<random>} is left, which {@link #isTemp} recognises
 * and {@link #removeTemps} deletes.
 */
public final class AtomicFile {

  /** Temp files carry this prefix so that listings skip them and start-up sweeps find them. */
  public static final String TEMP_PREFIX = ".tmp-";

  /** rw-------: anything holding container config, records, plans or environment. */
  public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

  /** rw-r--r--: files other users are meant to read (such as a CNI network config). */
  public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  /** rwxr-xr-x: an installed executable. */
  public static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");

  private AtomicFile() {}

  /** Replaces {@code target} with {@code content}, mode {@link #PRIVATE}. */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, PRIVATE);
  }

  /** Replaces {@code target} with {@code content}; the file has exactly {@code mode} from its creation. */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "." + UUID.randomUUID());
    try {
      try (FileChannel out = FileChannel.open(temp,
          EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(mode))) {
        if (!Files.getPosixFilePermissions(temp).equals(mode)) {
          // the umask took bits away; put them back before any content is in the file
          Files.setPosixFilePermissions(temp, mode);
        }
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fsyncDirectory(dir);
    } catch (FileSystemException e) {
      throw e;
    } catch (IOException e) {
      // A write or fsync failure (ENOSPC, EIO) names no file: name the target, so that callers can
      // say which filesystem is full.
      FileSystemException named = new FileSystemException(target.toString(), null, e.getMessage());
      named.initCause(e);
      throw named;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Makes a directory's entries (a create, rename or unlink in it) durable. */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Whether {@code file} is a temp file of {@link #write}, left behind by a crash or in flight. */
  public static boolean isTemp(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().startsWith(TEMP_PREFIX);
  }

  /**
   * Deletes the temp files a crash left in {@code dir} (not recursive; a missing directory has
   * none). Call only while no {@link #write} into {@code dir} is under way, e.g. at start-up.
   *
   * @return how many were deleted
   */
  public static int removeTemps(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, AtomicFile::isTemp)) {
      for (Path temp : entries) {
        if (Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(temp)) {
          removed++;
        }
      }
    }
    return removed;
  }
}
