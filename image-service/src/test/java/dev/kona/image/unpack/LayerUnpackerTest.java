package dev.kona.image.unpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.unpack.fs.FsCalls;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacks real tars onto the real file system; needs root (mknod, chown, trusted.* xattrs). */
class LayerUnpackerTest {

  /** security.capability v2 granting cap_net_raw and cap_setfcap (bit 31 makes a byte >= 0x80). */
  static final byte[] CAPABILITY = {
    0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  @TempDir Path temp;

  @BeforeAll
  static void needsRoot() {
    assertEquals("root", System.getProperty("user.name"), "LayerUnpackerTest needs root (mknod, chown, trusted xattrs)");
  }

  private LayerUnpacker.Usage unpack(Path dir, LayerBuilder layer, Path... lowers) throws Exception {
    Files.createDirectories(dir);
    return new LayerUnpacker(dir, List.of(lowers)).unpack(new ByteArrayInputStream(layer.tar()));
  }

  private static Map<String, Object> attrs(Path p) throws Exception {
    return Files.readAttributes(p, "unix:mode,uid,gid,rdev,ino,nlink,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void unpack_everyEntryKind_keepsTypeOwnershipModeTimesAndXattrs() throws Exception {
    String longName = "deep/" + "d".repeat(120) + "/file.txt";
    LayerBuilder layer =
        new LayerBuilder()
            .dir("srv", 02775, 1000, 1001)
            .file("srv/app", "#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII), 04755, 0, 0)
            .xattr("security.capability", CAPABILITY)
            .xattr("user.note", "text value".getBytes(StandardCharsets.US_ASCII))
            .dir("scratch", 01777)
            .symlink("srv/link", "/srv/app")
            .hardlink("srv/hard", "srv/app")
            .charDevice("dev/null", 1, 3, 0666)
            .blockDevice("dev/loop9", 7, 9, 0660)
            .fifo("run/pipe", 0620)
            .file(longName, "long".getBytes(StandardCharsets.US_ASCII), 0600, 33, 33);
    Path dir = temp.resolve("snap");
    LayerUnpacker.Usage usage = unpack(dir, layer);

    Map<String, Object> srv = attrs(dir.resolve("srv"));
    assertEquals(040000 | 02775, srv.get("mode"));
    assertEquals(1000, srv.get("uid"));
    assertEquals(1001, srv.get("gid"));
    assertEquals(LayerBuilder.MTIME, ((java.nio.file.attribute.FileTime) srv.get("lastModifiedTime")).toInstant());

    Map<String, Object> app = attrs(dir.resolve("srv/app"));
    assertEquals(0100000 | 04755, app.get("mode"), "setuid kept after chown");
    assertEquals(2, app.get("nlink"));
    assertEquals(app.get("ino"), attrs(dir.resolve("srv/hard")).get("ino"));
    assertArrayEquals(CAPABILITY, FsCalls.lgetxattr(dir.resolve("srv/app"), "security.capability"));
    assertArrayEquals("text value".getBytes(StandardCharsets.US_ASCII), FsCalls.lgetxattr(dir.resolve("srv/app"), "user.note"));

    assertEquals(040000 | 01777, attrs(dir.resolve("scratch")).get("mode"));
    assertEquals(Path.of("/srv/app"), Files.readSymbolicLink(dir.resolve("srv/link")));
    Map<String, Object> devNull = attrs(dir.resolve("dev/null"));
    assertEquals(020000 | 0666, devNull.get("mode"));
    assertEquals(FsCalls.makedev(1, 3), devNull.get("rdev"));
    Map<String, Object> loop = attrs(dir.resolve("dev/loop9"));
    assertEquals(060000 | 0660, loop.get("mode"));
    assertEquals(FsCalls.makedev(7, 9), loop.get("rdev"));
    assertEquals(010000 | 0620, attrs(dir.resolve("run/pipe")).get("mode"));
    Map<String, Object> deep = attrs(dir.resolve(longName));
    assertEquals(33, deep.get("uid"));
    assertEquals("long", Files.readString(dir.resolve(longName)));
    assertEquals(10 + 4, usage.bytes());
  }

  @Test
  void unpack_whiteoutsAndOpaqueDirs_becomeOverlayMarkers() throws Exception {
    LayerBuilder layer =
        new LayerBuilder()
            .dir("etc", 0755)
            .whiteout("etc/old.conf")
            .dir("var/cache", 0755)
            .opaque("var/cache")
            .file("var/cache/new", "n", 0644);
    Path dir = temp.resolve("upper");
    unpack(dir, layer);
    Map<String, Object> whiteout = attrs(dir.resolve("etc/old.conf"));
    assertEquals(020000, (int) whiteout.get("mode") & 0170000);
    assertEquals(0L, whiteout.get("rdev"));
    assertFalse(Files.exists(dir.resolve("etc/.wh.old.conf"), LinkOption.NOFOLLOW_LINKS));
    assertArrayEquals("y".getBytes(StandardCharsets.US_ASCII), FsCalls.lgetxattr(dir.resolve("var/cache"), "trusted.overlay.opaque"));
    assertNull(FsCalls.lgetxattr(dir.resolve("etc"), "trusted.overlay.opaque"));
    assertFalse(Files.exists(dir.resolve("var/cache/.wh..wh..opq")));
    assertTrue(Files.exists(dir.resolve("var/cache/new")));
  }

  @Test
  void unpack_hardlinkToLowerLayerFile_copiesIt() throws Exception {
    Path lower = temp.resolve("lower");
    unpack(lower, new LayerBuilder().dir("bin", 0755).file("bin/tool", "tool", 0755));
    Path upper = temp.resolve("upper");
    unpack(upper, new LayerBuilder().hardlink("bin/alias", "bin/tool"), lower);
    assertEquals("tool", Files.readString(upper.resolve("bin/alias")));
  }

  @Test
  void unpack_dotDotEntry_isRefusedNamingIt() throws Exception {
    assertEscapeRefused(
        new LayerBuilder().raw(file("a/../../escaped"), "x".getBytes(StandardCharsets.US_ASCII)),
        "a/../../escaped");
  }

  @Test
  void unpack_absoluteEntry_isRefusedNamingIt() throws Exception {
    TarArchiveEntry absolute = new TarArchiveEntry("/escaped", TarConstants.LF_NORMAL, true);
    absolute.setSize(1);
    assertEscapeRefused(new LayerBuilder().raw(absolute, "x".getBytes(StandardCharsets.US_ASCII)), "/escaped");
  }

  @Test
  void unpack_fileThroughPlantedSymlink_isRefused() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    assertEscapeRefused(
        new LayerBuilder().symlink("link", outside.toString()).raw(file("link/escaped"), "x".getBytes(StandardCharsets.US_ASCII)),
        "link/escaped");
    assertFalse(Files.exists(outside.resolve("escaped")));
  }

  @Test
  void unpack_hardlinkOutsideTheLayer_isRefused() throws Exception {
    assertEscapeRefused(new LayerBuilder().hardlink("stolen", "../outside/secret"), "stolen");
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "s");
    assertEscapeRefused(
        new LayerBuilder().symlink("out", outside.toString()).hardlink("stolen", "out/secret"), "stolen");
    assertEquals(1, (int) Files.getAttribute(outside.resolve("secret"), "unix:nlink"));
  }

  /** Fuzzing found it: a directory's time, set after the last entry, went to whatever later replaced it. */
  @Test
  void unpack_directoryLaterReplacedByFile_isTheFile() throws Exception {
    Path dir = temp.resolve("snap");
    unpack(dir, new LayerBuilder().dir("a/b", 0755).file("a", "now a file", 0644));
    assertEquals("now a file", Files.readString(dir.resolve("a")));
  }

  @Test
  void unpack_directoryLaterWhitedOut_isTheWhiteout() throws Exception {
    Path dir = temp.resolve("snap");
    unpack(dir, new LayerBuilder().dir("a/b", 0755).whiteout("a"));
    assertEquals(0L, attrs(dir.resolve("a")).get("rdev"));
    assertEquals(020000, (int) attrs(dir.resolve("a")).get("mode") & 0170000);
  }

  @Test
  void unpack_directoryLaterReplacedBySymlinkOut_neverTouchesTheHost() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside/secret"));
    java.nio.file.attribute.FileTime before = java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2001-02-03T04:05:06Z"));
    Files.setLastModifiedTime(outside, before);
    Path dir = temp.resolve("snap");
    unpack(dir, new LayerBuilder().dir("a/secret", 0755).symlink("a", outside.getParent().toString()));
    assertTrue(Files.isSymbolicLink(dir.resolve("a")));
    assertEquals(before, Files.getLastModifiedTime(outside), "the host directory's time was set through the layer's symlink");
  }

  /** ".wh..." would whiteout "..": the directory holding the snapshot, with every other snapshot in it. */
  @Test
  void unpack_whiteoutOfDotDot_isRefusedAndNothingOutsideIsDeleted() throws Exception {
    Path neighbour = Files.writeString(temp.resolve("neighbour"), "another snapshot");
    for (String name : List.of(".wh...", "x/.wh...", ".wh..", "x/.wh.", ".wh.")) {
      Path dir = Files.createDirectories(temp.resolve("victim"));
      Files.writeString(dir.resolve("keep"), "k");
      InvalidArgumentException e =
          assertThrows(InvalidArgumentException.class, () -> unpack(dir, new LayerBuilder().dir("x", 0755).raw(file(name), new byte[] {'x'})), name);
      assertTrue(e.getMessage().contains("\"" + name + "\""), e.getMessage());
      assertEquals("another snapshot", Files.readString(neighbour), name);
      assertTrue(Files.isDirectory(dir.resolve("x"), LinkOption.NOFOLLOW_LINKS), name);
      assertEquals("k", Files.readString(dir.resolve("keep")), name);
      dev.kona.common.fs.DirectoryTree.delete(dir);
    }
  }

  private void assertEscapeRefused(LayerBuilder layer, String entry) throws Exception {
    Path dir = Files.createDirectories(temp.resolve("victim"));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> unpack(dir, layer));
    assertTrue(e.getMessage().contains("\"" + entry + "\""), e.getMessage());
    assertFalse(Files.exists(temp.resolve("escaped")));
    assertFalse(Files.exists(Path.of("/escaped")));
  }

  private static TarArchiveEntry file(String name) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    entry.setSize(1);
    entry.setMode(0644);
    return entry;
  }
}
