package dev.kona.image.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.image.testing.LayerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers that try to reach the host through the layers below them: a symlink planted by a lower
 * layer, then an entry of an upper layer that names a path through it. Every test keeps a sentinel
 * host file with unique content next to the snapshots and checks that it is never copied into a
 * snapshot, never linked, and never changed. Real tars on the real file system; needs root.
 */
class LayerChainEscapeTest {

  @TempDir Path temp;

  private Path host;
  private Path sentinel;
  private String secret;
  private FileTime sentinelTime;
  private final List<Path> snapshots = new ArrayList<>();

  @BeforeAll
  static void needsRoot() {
    assertEquals("root", System.getProperty("user.name"), "LayerChainEscapeTest needs root (mknod, chown)");
  }

  @BeforeEach
  void plantSentinel() throws IOException {
    host = Files.createDirectories(temp.resolve("host"));
    secret = "host secret " + UUID.randomUUID();
    sentinel = host.resolve("secret");
    Files.writeString(sentinel, secret);
    sentinelTime = Files.getLastModifiedTime(sentinel);
  }

  @AfterEach
  void sentinelUntouched() throws IOException {
    assertEquals(secret, Files.readString(sentinel), "the host file was modified");
    assertEquals(1, (int) Files.getAttribute(sentinel, "unix:nlink"), "the host file was hard-linked");
    assertEquals(sentinelTime, Files.getLastModifiedTime(sentinel));
    try (Stream<Path> hostFiles = Files.list(host)) {
      assertEquals(List.of(sentinel), hostFiles.toList(), "a layer wrote into the host directory");
    }
    for (Path snapshot : snapshots) {
      try (Stream<Path> all = Files.walk(snapshot)) {
        for (Path p : all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
          assertFalse(
              Files.readString(p, StandardCharsets.ISO_8859_1).contains(secret),
              "snapshot file " + snapshot.relativize(p) + " holds the host file's content");
        }
      }
    }
  }

  /** Unpacks {@code layers} bottom first, each into its own snapshot with the ones below as lowers. */
  private Path unpackChain(LayerBuilder... layers) throws IOException {
    List<Path> lowers = new ArrayList<>();
    Path dir = null;
    for (LayerBuilder layer : layers) {
      dir = Files.createDirectories(temp.resolve("snap" + snapshots.size()));
      snapshots.add(dir);
      new LayerUnpacker(dir, List.copyOf(lowers)).unpack(new ByteArrayInputStream(layer.tar()));
      lowers.addFirst(dir);
    }
    return dir;
  }

  private void assertRefused(String entry, LayerBuilder... layers) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> unpackChain(layers));
    assertTrue(e.getMessage().contains("\"" + entry + "\""), e.getMessage());
  }

  private String hostRelative() {
    return host.toString().substring(1); // host's path without the leading slash
  }

  @Test
  void hardlink_throughLowerSymlinkToAbsoluteHostDir_isRefused() {
    assertRefused(
        "x",
        new LayerBuilder().symlink("a", host.toString()),
        new LayerBuilder().hardlink("x", "a/secret"));
  }

  @Test
  void hardlink_throughLowerSymlinkToRoot_isRefused() {
    assertRefused(
        "x",
        new LayerBuilder().symlink("r", "/"),
        new LayerBuilder().hardlink("x", "r/" + hostRelative() + "/secret"));
  }

  @Test
  void hardlink_throughDotDot_isRefused() {
    assertRefused(
        "x",
        new LayerBuilder().dir("bin", 0755),
        new LayerBuilder().hardlink("x", "bin/../../../../../../../../../../" + hostRelative() + "/secret"));
  }

  @Test
  void hardlink_throughLowerRelativeSymlinkClimbingOut_isRefused() {
    assertRefused(
        "x",
        new LayerBuilder().symlink("up", "../../../../../../../../../../.."),
        new LayerBuilder().hardlink("x", "up/" + hostRelative() + "/secret"));
  }

  @Test
  void hardlink_throughLowerSymlinkChain_isRefused() {
    assertRefused(
        "x",
        new LayerBuilder().symlink("c", host.toString()).symlink("b", "c").symlink("a", "b"),
        new LayerBuilder().hardlink("x", "a/secret"));
  }

  @Test
  void hardlink_throughSymlinkChainAcrossLayers_isRefused() {
    assertRefused(
        "x",
        new LayerBuilder().symlink("b", host.toString()),
        new LayerBuilder().symlink("a", "b"),
        new LayerBuilder().hardlink("x", "a/secret"));
  }

  @Test
  void hardlink_toFinalSymlinkInLowerLayer_doesNotCopyItsTarget() {
    assertRefused(
        "x",
        new LayerBuilder().symlink("s", sentinel.toString()),
        new LayerBuilder().hardlink("x", "s"));
  }

  @Test
  void hardlink_toLowerFileDeletedByAWhiteout_isRefused() {
    assertRefused(
        "x",
        new LayerBuilder().dir("etc", 0755).file("etc/shadow", "deleted secret", 0600),
        new LayerBuilder().dir("etc", 0755).whiteout("etc/shadow"),
        new LayerBuilder().hardlink("x", "etc/shadow"));
  }

  @Test
  void hardlink_toLowerFileUnderAnOpaqueDir_isRefused() {
    assertRefused(
        "x",
        new LayerBuilder().dir("etc", 0755).file("etc/shadow", "hidden secret", 0600),
        new LayerBuilder().dir("etc", 0755).opaque("etc"),
        new LayerBuilder().hardlink("x", "etc/shadow"));
  }

  @Test
  void hardlink_toLowerFileUnderAReplacedDir_isRefused() {
    assertRefused(
        "x",
        new LayerBuilder().dir("etc", 0755).file("etc/shadow", "hidden secret", 0600),
        new LayerBuilder().file("etc", "now a file", 0644),
        new LayerBuilder().hardlink("x", "etc/shadow"));
  }

  @Test
  void hardlink_toFileOfAMiddleLayer_copiesTheTopmostVersion() throws IOException {
    Path top =
        unpackChain(
            new LayerBuilder().dir("bin", 0755).file("bin/tool", "old", 0755),
            new LayerBuilder().dir("bin", 0755).file("bin/tool", "new", 04711),
            new LayerBuilder().dir("bin", 0755).hardlink("bin/alias", "bin/tool"));
    assertEquals("new", Files.readString(top.resolve("bin/alias")));
    assertEquals(0100000 | 04711, Files.getAttribute(top.resolve("bin/alias"), "unix:mode", LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void file_throughLowerSymlinkedDir_staysInTheLayer() throws IOException {
    Path top =
        unpackChain(
            new LayerBuilder().symlink("a", host.toString()),
            new LayerBuilder().file("a/evil", "evil", 0644));
    assertFalse(Files.exists(host.resolve("evil"), LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.isDirectory(top.resolve("a"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("evil", Files.readString(top.resolve("a/evil")));
  }

  @Test
  void whiteout_throughLowerSymlinkedDir_staysInTheLayer() throws IOException {
    Path top =
        unpackChain(
            new LayerBuilder().symlink("a", host.toString()),
            new LayerBuilder().whiteout("a/secret").opaque("a"));
    assertTrue(Files.isDirectory(top.resolve("a"), LinkOption.NOFOLLOW_LINKS));
    assertEquals(020000, (int) Files.getAttribute(top.resolve("a/secret"), "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000);
  }
}
