package dev.kona.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.FailedPreconditionException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copy-up of image volumes on a real file system; needs root for the ownership it copies. */
class ImageVolumesTest {

  @TempDir Path tmp;

  private static long attr(Path p, String name) throws Exception {
    return ((Number) Files.getAttribute(p, "unix:" + name, LinkOption.NOFOLLOW_LINKS)).longValue();
  }

  @Test
  void prepare_copiesTheImageTree_withModesOwnersLinksAndTimes() throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
    Path data = Files.createDirectories(rootfs.resolve("data/sub"));
    Path file = Files.writeString(data.resolve("hello"), "from the image");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    Files.setAttribute(file, "unix:uid", 1000);
    Files.setAttribute(file, "unix:gid", 2000);
    Files.createLink(data.resolve("hello-again"), file);
    Files.createSymbolicLink(data.resolve("link"), Path.of("hello"));
    Files.setAttribute(data.resolve("link"), "unix:uid", 33, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(rootfs.resolve("data"), "unix:mode", 01770);
    Files.setAttribute(rootfs.resolve("data"), "unix:uid", 1000);
    FileTime old = FileTime.fromMillis(1_600_000_000_000L);
    Files.setLastModifiedTime(data, old);

    List<ContainerSpec.MountSpec> mounts =
        ImageVolumes.prepare("c1", rootfs, tmp.resolve("volumes"), List.of("/data/", "/empty"), List.of());

    assertEquals(List.of("/data", "/empty"), mounts.stream().map(ContainerSpec.MountSpec::containerPath).toList());
    assertTrue(mounts.stream().allMatch(m -> !m.readonly() && m.propagation().equals("rprivate")));
    Path copy = Path.of(mounts.get(0).hostPath());
    assertEquals(tmp.resolve("volumes"), copy.getParent());
    assertEquals(01770, attr(copy, "mode") & 07777);
    assertEquals(1000, attr(copy, "uid"));
    Path copied = copy.resolve("sub/hello");
    assertEquals("from the image", Files.readString(copied));
    assertEquals(0640, attr(copied, "mode") & 07777);
    assertEquals(1000, attr(copied, "uid"));
    assertEquals(2000, attr(copied, "gid"));
    assertEquals(attr(copied, "ino"), attr(copy.resolve("sub/hello-again"), "ino"), "hard link kept");
    assertEquals(Path.of("hello"), Files.readSymbolicLink(copy.resolve("sub/link")));
    assertEquals(33, attr(copy.resolve("sub/link"), "uid"));
    assertEquals(old, Files.getLastModifiedTime(copy.resolve("sub")));
    assertEquals("from the image", Files.readString(file), "the image is untouched");

    Path empty = Path.of(mounts.get(1).hostPath());
    assertTrue(Files.isDirectory(empty));
    assertEquals(0, Files.list(empty).count());
  }

  @Test
  void prepare_criMountAtTheSamePathWins() throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs/data"));
    List<ContainerSpec.MountSpec> cri = List.of(new ContainerSpec.MountSpec("/data", "/srv", false, null));
    assertEquals(List.of(), ImageVolumes.prepare("c1", rootfs.getParent(), tmp.resolve("volumes"), List.of("data/"), cri));
    assertFalse(Files.exists(tmp.resolve("volumes/0")));
  }

  @Test
  void resolveInRoot_symlinksNeverLeaveTheRoot() throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
    Files.createDirectories(rootfs.resolve("real/data"));
    Files.createSymbolicLink(rootfs.resolve("abs"), Path.of("/real"));
    Files.createSymbolicLink(rootfs.resolve("escape"), Path.of("../../../../real"));
    Files.createSymbolicLink(rootfs.resolve("loop"), Path.of("loop"));

    assertEquals(rootfs.resolve("real/data"), ImageVolumes.resolveInRoot(rootfs, "/abs/data"));
    assertEquals(rootfs.resolve("real/data"), ImageVolumes.resolveInRoot(rootfs, "/escape/data"));
    assertEquals(rootfs.resolve("real"), ImageVolumes.resolveInRoot(rootfs, "/../../real/data/.."));
    assertThrows(FailedPreconditionException.class, () -> ImageVolumes.resolveInRoot(rootfs, "/loop/x"));
  }

  @Test
  void prepare_volumeThatIsAFileInTheImage_isRefused() throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
    Files.writeString(rootfs.resolve("data"), "not a dir");
    FailedPreconditionException e = assertThrows(FailedPreconditionException.class,
        () -> ImageVolumes.prepare("c1", rootfs, tmp.resolve("volumes"), List.of("/data"), List.of()));
    assertEquals("create container c1: image volume /data is not a directory in the image", e.getMessage());
  }
}
