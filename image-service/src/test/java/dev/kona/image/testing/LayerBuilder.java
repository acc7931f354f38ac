package dev.kona.image.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds one uncompressed layer tar in memory: files, dirs, symlinks, hard links, device nodes,
 * fifos, OCI whiteouts and opaque markers, xattrs (binary values written byte-exact as
 * {@code SCHILY.xattr} PAX records, as Go's archive/tar does), and raw entries for hostile archives.
 */
public final class LayerBuilder {

  /** The mtime every entry gets unless told otherwise, so builds are reproducible. */
  public static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");

  private record Entry(TarArchiveEntry header, byte[] data, Map<String, byte[]> xattrs) {}

  private final List<Entry> entries = new ArrayList<>();

  public LayerBuilder dir(String name, int mode) {
    return dir(name, mode, 0, 0);
  }

  public LayerBuilder dir(String name, int mode, int uid, int gid) {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
    return add(e, mode, uid, gid, null);
  }

  public LayerBuilder file(String name, String content, int mode) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), mode, 0, 0);
  }

  public LayerBuilder file(String name, byte[] content, int mode, int uid, int gid) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    e.setSize(content.length);
    return add(e, mode, uid, gid, content);
  }

  /** A file with the content of a file on this machine (e.g. /bin/busybox). */
  public LayerBuilder hostFile(String name, Path source, int mode) {
    try {
      return file(name, Files.readAllBytes(source), mode, 0, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Adds a host directory tree under {@code prefix} (dirs, regular files, symlinks; other kinds and
   * unreadable files are skipped), for large realistic layers.
   */
  public LayerBuilder hostTree(String prefix, Path hostDir) {
    try (var walk = Files.walk(hostDir)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        String rel = hostDir.relativize(p).toString();
        String name = rel.isEmpty() ? prefix : prefix + "/" + rel;
        if (Files.isSymbolicLink(p)) {
          symlink(name, Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p)) {
          dir(name, 0755);
        } else if (Files.isRegularFile(p) && Files.isReadable(p)) {
          file(name, Files.readAllBytes(p), Files.isExecutable(p) ? 0755 : 0644, 0, 0);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public LayerBuilder symlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    return add(e, 0777, 0, 0, null);
  }

  public LayerBuilder hardlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
    e.setLinkName(target);
    return add(e, 0755, 0, 0, null);
  }

  public LayerBuilder charDevice(String name, int major, int minor, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return add(e, mode, 0, 0, null);
  }

  public LayerBuilder blockDevice(String name, int major, int minor, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_BLK);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return add(e, mode, 0, 0, null);
  }

  public LayerBuilder fifo(String name, int mode) {
    return add(new TarArchiveEntry(name, TarConstants.LF_FIFO), mode, 0, 0, null);
  }

  /** Deletes {@code name} of the layers below (an OCI whiteout file {@code .wh.<base>}). */
  public LayerBuilder whiteout(String name) {
    int slash = name.lastIndexOf('/');
    String whiteout = name.substring(0, slash + 1) + ".wh." + name.substring(slash + 1);
    return file(whiteout, new byte[0], 0644, 0, 0);
  }

  /** Hides everything the layers below have in directory {@code dir}. */
  public LayerBuilder opaque(String dir) {
    return file(dir + "/.wh..wh..opq", new byte[0], 0644, 0, 0);
  }

  /** Adds an extended attribute to the entry added last. */
  public LayerBuilder xattr(String name, byte[] value) {
    entries.getLast().xattrs().put(name, value);
    return this;
  }

  /** Adds an entry exactly as given (for hostile archives: names with "..", absolute paths). */
  public LayerBuilder raw(TarArchiveEntry header, byte[] data) {
    entries.add(new Entry(header, data, new LinkedHashMap<>()));
    return this;
  }

  private LayerBuilder add(TarArchiveEntry e, int mode, int uid, int gid, byte[] data) {
    e.setMode(mode);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setModTime(java.util.Date.from(MTIME));
    entries.add(new Entry(e, data, new LinkedHashMap<>()));
    return this;
  }

  /** The layer as an uncompressed tar. */
  public byte[] tar() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Map<String, byte[]> placeholders = new LinkedHashMap<>();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Entry entry : entries) {
        for (Map.Entry<String, byte[]> xattr : entry.xattrs().entrySet()) {
          // PAX values are written as UTF-8 strings; an ASCII stand-in of the same length is
          // swapped for the raw bytes afterwards, so binary values come out byte-exact
          byte[] value = xattr.getValue();
          boolean ascii = true;
          for (byte b : value) {
            ascii &= b >= 0;
          }
          if (ascii) {
            entry.header().addPaxHeader("SCHILY.xattr." + xattr.getKey(), new String(value, StandardCharsets.US_ASCII));
            continue;
          }
          String marker = marker(value.length);
          placeholders.put(marker, value);
          entry.header().addPaxHeader("SCHILY.xattr." + xattr.getKey(), marker);
        }
        out.putArchiveEntry(entry.header());
        if (entry.data() != null) {
          out.write(entry.data());
        }
        out.closeArchiveEntry();
      }
      out.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] tar = bytes.toByteArray();
    for (Map.Entry<String, byte[]> placeholder : placeholders.entrySet()) {
      byte[] marker = placeholder.getKey().getBytes(StandardCharsets.US_ASCII);
      int at = indexOf(tar, marker);
      System.arraycopy(placeholder.getValue(), 0, tar, at, marker.length);
    }
    return tar;
  }

  private static String marker(int length) {
    String random = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    StringBuilder marker = new StringBuilder("~");
    while (marker.length() < length) {
      marker.append(random);
    }
    if (length < 8) {
      throw new IllegalArgumentException("binary xattr values shorter than 8 bytes: use text");
    }
    return marker.substring(0, length);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new IllegalStateException("xattr placeholder not found in tar");
  }
}
