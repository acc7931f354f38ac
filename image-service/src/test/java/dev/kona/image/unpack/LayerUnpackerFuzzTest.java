package dev.kona.image.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kona.common.error.KonaException;
import dev.kona.common.fs.DirectoryTree;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Jazzer on the tar and whiteout unpacker, as root on the real file system: two layers of fuzzed
 * entries (files, directories, symlinks, hard links, whiteouts, opaque markers, devices, fifos, with
 * names built from {@code ..}, absolute paths, whiteout prefixes and a path to a host directory)
 * are unpacked, the upper one over the lower. Either may be refused, but only with an error of the
 * family; and nothing outside the two snapshot directories is ever written, linked or read into
 * them (a sentinel host file with unique content stays as it was, times included, and never shows up
 * in a snapshot).
 * A third run feeds the fuzzer's raw bytes to the unpacker as a tar. The normal build runs the seeds
 * and a five-second fuzzing run (see the pom).
 */
class LayerUnpackerFuzzTest {

  private static final String SECRET = "fuzz sentinel 6f1c9a52-0c8e-4d0e-9b43-1c7d2a7f5e11";
  private static final FileTime HOST_TIME = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));
  private static Path work;
  private static Path host;
  private static Path sentinel;

  @BeforeAll
  static void plantSentinel() throws IOException {
    work = Files.createTempDirectory("kona-unpack-fuzz-");
    host = Files.createDirectories(work.resolve("host"));
    sentinel = Files.writeString(host.resolve("secret"), SECRET);
    Files.setLastModifiedTime(sentinel, HOST_TIME);
    Files.setLastModifiedTime(host, HOST_TIME);
  }

  @AfterAll
  static void removeWork() throws IOException {
    DirectoryTree.delete(work);
  }

  @FuzzTest(maxDuration = "5s")
  void unpack_fuzzedLayers_stayInsideTheirSnapshots(FuzzedDataProvider data) throws IOException {
    Path lower = work.resolve("lower");
    Path upper = work.resolve("upper");
    try {
      Files.createDirectories(lower);
      Files.createDirectories(upper);
      unpack(lower, List.of(), entries(data));
      unpack(upper, List.of(lower), entries(data));
      unpack(upper, List.of(lower), data.consumeRemainingAsBytes());
      assertHostUntouched(lower, upper);
    } finally {
      DirectoryTree.delete(lower);
      DirectoryTree.delete(upper);
    }
  }

  private static void unpack(Path dir, List<Path> lowers, byte[] tar) {
    try {
      new LayerUnpacker(dir, lowers).unpack(new ByteArrayInputStream(tar));
    } catch (KonaException refused) {
      // any error of the family is a fine answer to a hostile layer
    } catch (IOException malformed) {
      // a tar that does not parse (raw bytes) fails the pull as the unpack failure it is
    }
  }

  private static void assertHostUntouched(Path... snapshots) throws IOException {
    assertEquals(SECRET, Files.readString(sentinel), "the host file was modified");
    assertEquals(1, (int) Files.getAttribute(sentinel, "unix:nlink"), "the host file was hard-linked");
    assertEquals(HOST_TIME, Files.getLastModifiedTime(sentinel), "the host file's time was set");
    assertEquals(HOST_TIME, Files.getLastModifiedTime(host), "the host directory's time was set");
    try (Stream<Path> inHost = Files.list(host);
        Stream<Path> inWork = Files.list(work)) {
      assertEquals(List.of(sentinel), inHost.toList(), "something was written into the host directory");
      assertEquals(3, inWork.count(), "something was written next to the snapshots");
    }
    for (Path snapshot : snapshots) {
      try (Stream<Path> all = Files.walk(snapshot)) {
        for (Path p : all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
          assertFalse(Files.readString(p, StandardCharsets.ISO_8859_1).contains(SECRET), p + " holds the host file");
        }
      }
    }
  }

  private static final String[] PARTS = {"a", "b", "c", "..", ".", "", ".wh.a", ".wh.b", ".wh..wh..opq", "etc", "secret", ".wh...", ".wh."};

  private static String name(FuzzedDataProvider data) {
    int n = data.consumeInt(1, 4);
    StringBuilder name = new StringBuilder();
    if (data.consumeInt(0, 9) == 0) {
      name.append(data.consumeBoolean() ? "/" : host.toString().substring(1) + "/");
    }
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        name.append('/');
      }
      name.append(data.consumeInt(0, 15) == 0 ? data.consumeString(8) : data.pickValue(PARTS));
    }
    return name.toString();
  }

  private static String target(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 4)) {
      case 0 -> host.toString();
      case 1 -> "/";
      case 2 -> "../../../../../../../.." + host;
      default -> name(data);
    };
  }

  private static byte[] entries(FuzzedDataProvider data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      int count = data.consumeInt(0, 8);
      for (int i = 0; i < count; i++) {
        String name = name(data);
        TarArchiveEntry entry;
        byte[] content = new byte[0];
        switch (data.consumeInt(0, 6)) {
          case 0 -> {
            entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
            content = data.consumeBytes(16);
          }
          case 1 -> entry = new TarArchiveEntry(name, TarConstants.LF_DIR, true);
          case 2 -> {
            entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
            entry.setLinkName(target(data));
          }
          case 3 -> {
            entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
            entry.setLinkName(target(data) + (data.consumeBoolean() ? "/secret" : ""));
          }
          case 4 -> {
            entry = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
            entry.setDevMinor(data.consumeInt(0, 1)); // 0:0 is a whiteout; major 0 never names a real device
          }
          case 5 -> entry = new TarArchiveEntry(name, TarConstants.LF_FIFO, true);
          default -> entry = new TarArchiveEntry(name, TarConstants.LF_BLK, true);
        }
        entry.setMode(data.consumeInt(0, 07777));
        if (entry.isDirectory()) {
          content = new byte[0]; // a name ending in '/' makes any entry a directory, which holds no bytes
        }
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
