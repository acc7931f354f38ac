package dev.kona.image.unpack;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.image.content.DiskFull;
import dev.kona.common.fs.DirectoryTree;
import dev.kona.image.unpack.fs.FsCalls;
import dev.kona.linux.syscall.NativeCallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Applies one uncompressed layer tar to an empty snapshot directory, in the form overlayfs reads:
 * OCI whiteouts {@code .wh.NAME} become character devices 0:0, {@code .wh..wh..opq} marks its
 * directory opaque ({@code trusted.overlay.opaque=y}). Keeps ownership, all mode bits, mtimes,
 * xattrs, device nodes, fifos, symlinks and hard links. Entries that would write outside the
 * snapshot fail the unpack with INVALID_ARGUMENT naming the entry, also when they name a path through
 * a symlink a lower layer planted (see {@link ChainLookup}). Needs root (mknod, lchown,
 * trusted.* xattrs).
 */
public final class LayerUnpacker {

  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final String META_PREFIX = ".wh..wh.";

  private final Path root;
  private final Supplier<List<Path>> lowers;
  private final EntryPaths paths;
  /**
   * Directories whose time is set after the last entry (writing into a directory changes it), in
   * the order they were made. An entry that replaces or whites out a path drops the records at and
   * under it: a later entry may have made that path a file, a whiteout or a symlink out of the layer.
   */
  private final Map<Path, FileTime> directoryTimes = new LinkedHashMap<>();
  private long bytes;
  private long inodes;

  /**
   * @param root the empty snapshot directory to fill
   * @param lowers the snapshot directories below this one, top first: a hard link to a file that
   *     only a lower layer holds becomes a copy
   */
  public LayerUnpacker(Path root, List<Path> lowers) {
    this(root, () -> lowers);
  }

  /**
   * @param lowers asked only when a hard link names a file this layer lacks, so layers can unpack in
   *     parallel and wait for the ones below only in that rare case
   */
  public LayerUnpacker(Path root, Supplier<List<Path>> lowers) {
    this.root = root;
    this.lowers = lowers;
    this.paths = new EntryPaths(root);
  }

  /** What one unpacked layer occupies. */
  public record Usage(long bytes, long inodes) {}

  /** Reads the whole tar (and drains what follows it, so digests of the stream are complete). */
  public Usage unpack(InputStream tar) throws IOException {
    RecordingInputStream recorder = new RecordingInputStream(tar);
    TarArchiveInputStream entries = new TarArchiveInputStream(recorder, StandardCharsets.UTF_8.name());
    while (true) {
      recorder.start();
      TarArchiveEntry entry = entries.getNextEntry();
      byte[] rawHeaders = recorder.stop();
      if (entry == null) {
        break;
      }
      try {
        apply(entry, entries, rawHeaders);
      } catch (NativeCallException e) {
        throw failed("unpack entry \"" + entry.getName() + "\"", e);
      }
    }
    tar.transferTo(OutputStream.nullOutputStream());
    List<Map.Entry<Path, FileTime>> dirs = new ArrayList<>(directoryTimes.entrySet());
    for (Map.Entry<Path, FileTime> dir : dirs.reversed()) {
      try {
        setTime(dir.getKey(), dir.getValue());
      } catch (NativeCallException e) {
        throw failed("set the time of directory \"" + root.relativize(dir.getKey()) + "\"", e);
      }
    }
    return new Usage(bytes, inodes);
  }

  private RuntimeException failed(String what, NativeCallException e) {
    if (DiskFull.is(e)) {
      return DiskFull.error(what, root, e);
    }
    return e.toKonaException().withContext(what);
  }

  private void apply(TarArchiveEntry entry, InputStream data, byte[] rawHeaders) throws IOException {
    String name = entry.getName();
    List<String> parts = EntryPaths.components(name, name);
    String base = parts.isEmpty() ? "" : parts.getLast();
    if (base.equals(OPAQUE)) {
      Path dir = paths.resolve(name, name).getParent();
      FsCalls.lsetxattr(dir, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
      return;
    }
    if (base.startsWith(META_PREFIX)) {
      return; // AUFS bookkeeping such as .wh..wh.plnk; nothing for overlay
    }
    if (base.startsWith(WHITEOUT)) {
      String hiddenName = base.substring(WHITEOUT.length());
      if (hiddenName.isEmpty() || hiddenName.equals(".") || hiddenName.equals("..")) {
        throw new InvalidArgumentException(
            "unpack entry \"" + name + "\": whiteout of \"" + hiddenName + "\" names no file (refused: it would delete the layer or what holds it)");
      }
      Path hidden = paths.resolve(name, name).resolveSibling(hiddenName);
      removeExisting(hidden);
      FsCalls.mknod(hidden, FsCalls.S_IFCHR, 0);
      inodes++;
      return;
    }
    Path target = paths.resolve(name, name);
    if (target.equals(root)) {
      return; // the layer root keeps the snapshot's own attributes
    }
    if (entry.isDirectory()) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        removeExisting(target);
        Files.createDirectory(target);
        inodes++;
      }
      applyMetadata(entry, target, rawHeaders);
      directoryTimes.put(target, entry.getLastModifiedTime());
      return;
    }
    removeExisting(target);
    if (entry.isSymbolicLink()) {
      Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
    } else if (entry.isLink()) {
      link(entry, target);
      inodes++;
      return; // a hard link shares the metadata of its target
    } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
      int type = entry.isCharacterDevice() ? FsCalls.S_IFCHR : FsCalls.S_IFBLK;
      FsCalls.mknod(target, type | (entry.getMode() & 07777), FsCalls.makedev(entry.getDevMajor(), entry.getDevMinor()));
    } else if (entry.isFIFO()) {
      FsCalls.mknod(target, FsCalls.S_IFIFO | (entry.getMode() & 07777), 0);
    } else if (entry.isFile()) {
      try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        bytes += data.transferTo(out);
      }
    } else {
      return; // sparse maps, volume labels and other tar oddities carry no file
    }
    inodes++;
    applyMetadata(entry, target, rawHeaders);
    setTime(target, entry.getLastModifiedTime());
  }

  /**
   * A hard link: to a file this layer holds, a link; to a regular file only a lower layer holds, a
   * copy (with its attributes) of the topmost version overlayfs would show. The target is looked up
   * in each layer directory with {@link ChainLookup}, never through the host's tree.
   */
  private void link(TarArchiveEntry entry, Path target) throws IOException {
    String name = entry.getLinkName();
    List<String> parts = EntryPaths.components(name, entry.getName());
    if (parts.isEmpty()) {
      throw EntryPaths.escape(entry.getName(), "hard link to the layer root");
    }
    try (ChainLookup.Result own = ChainLookup.lookup(root, parts, entry.getName(), name)) {
      switch (own.state()) {
        case FOUND, SYMLINK -> {
          if (own.type() == ChainLookup.S_IFDIR) {
            throw new InvalidArgumentException(
                "unpack entry \"" + entry.getName() + "\": hard link to directory \"" + name + "\"");
          }
          // the walk above proved every parent a real directory of this layer, which only this unpacker writes
          Files.createLink(target, root.resolve(String.join("/", parts)));
          return;
        }
        case HIDDEN -> throw missingTarget(entry);
        case ABSENT -> {}
      }
    }
    for (Path lower : lowers.get()) {
      try (ChainLookup.Result found = ChainLookup.lookup(lower, parts, entry.getName(), name)) {
        switch (found.state()) {
          case FOUND -> {
            if (found.type() != ChainLookup.S_IFREG) {
              throw new InvalidArgumentException(
                  "unpack entry \"" + entry.getName() + "\": hard link target \"" + name
                      + "\" is not a regular file in the layer below, it cannot be copied up");
            }
            // the target lives in a lower snapshot; a copy keeps content and attributes
            Files.copy(found.procPath(), target, StandardCopyOption.COPY_ATTRIBUTES);
            bytes += Files.size(target);
            return;
          }
          case SYMLINK ->
              throw new InvalidArgumentException(
                  "unpack entry \"" + entry.getName() + "\": hard link target \"" + name
                      + "\" is a symlink in the layer below, it cannot be copied up");
          case HIDDEN -> throw missingTarget(entry);
          case ABSENT -> {}
        }
      }
    }
    throw missingTarget(entry);
  }

  private static InvalidArgumentException missingTarget(TarArchiveEntry entry) {
    return new InvalidArgumentException(
        "unpack entry \"" + entry.getName() + "\": hard link target \"" + entry.getLinkName() + "\" does not exist");
  }

  private void applyMetadata(TarArchiveEntry entry, Path target, byte[] rawHeaders) {
    FsCalls.lchown(target, (int) entry.getLongUserId(), (int) entry.getLongGroupId());
    if (!entry.isSymbolicLink()) {
      FsCalls.chmod(target, entry.getMode()); // after chown, which clears setuid/setgid
    }
    for (Map.Entry<String, byte[]> xattr : PaxXattrs.of(entry, rawHeaders).entrySet()) {
      FsCalls.lsetxattr(target, xattr.getKey(), xattr.getValue());
    }
  }

  private static void setTime(Path target, FileTime time) {
    if (time == null) {
      return;
    }
    Instant instant = time.toInstant();
    FsCalls.lutimes(target, instant.getEpochSecond(), instant.getNano());
  }

  private void removeExisting(Path target) throws IOException {
    BasicFileAttributes existing;
    try {
      existing = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException absent) {
      return;
    }
    if (existing.isDirectory()) {
      directoryTimes.keySet().removeIf(dir -> dir.startsWith(target)); // only a directory has records at or under it
    }
    DirectoryTree.delete(target);
  }
}
