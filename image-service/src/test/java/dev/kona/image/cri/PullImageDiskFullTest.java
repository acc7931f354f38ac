package dev.kona.image.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.ResourceExhaustedException;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.TestImages;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.MountFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PullImage onto a full disk: a real 4 MiB tmpfs as the image root (or only as its snapshot
 * directory) and an image with a 6 MiB incompressible layer. The kubelet expects
 * RESOURCE_EXHAUSTED naming the filesystem that is full, and nothing half-written may stay.
 */
class PullImageDiskFullTest {

  @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();

  @TempDir Path temp;
  private final List<Path> mounts = new ArrayList<>();
  private CriFixture cri;

  @BeforeAll
  static void push() {
    byte[] big = new byte[6 << 20];
    new Random(19).nextBytes(big);
    BuiltImage image =
        TestImages.builder()
            .layer(new LayerBuilder().dir("data", 0755).file("data/blob", big, 0644, 0, 0), TestImages.Compression.NONE)
            .build();
    registry.pusher().push("test/big", "1", image);
  }

  @AfterEach
  void cleanup() {
    if (cri != null) {
      cri.close();
    }
    for (Path mount : mounts.reversed()) {
      LinuxSyscalls.get().umount2(mount.toString(), 0);
    }
  }

  private Path tmpfs(Path dir) throws IOException {
    Files.createDirectories(dir);
    LinuxSyscalls.get().mount("kona-test", dir.toString(), "tmpfs", MountFlags.MS_NOSUID | MountFlags.MS_NODEV, "size=4m");
    mounts.add(dir);
    return dir;
  }

  @Test
  void pullImage_imageRootFull_isResourceExhaustedNamingTheFilesystem_andLeavesNothing() throws IOException {
    Path root = tmpfs(temp.resolve("images"));
    cri = new CriFixture(root, registry);

    ResourceExhaustedException e = assertThrows(ResourceExhaustedException.class, () -> cri.pull("test/big:1"));

    assertNamesFullFilesystem(e, root);
    assertNothingHalfWritten(root);
  }

  @Test
  void pullImage_snapshotDirectoryFull_isResourceExhaustedNamingIt_andLeavesNothing() throws IOException {
    Path root = temp.resolve("images");
    Path snapshots = tmpfs(root.resolve("snapshots"));
    cri = new CriFixture(root, registry);

    ResourceExhaustedException e = assertThrows(ResourceExhaustedException.class, () -> cri.pull("test/big:1"));

    assertNamesFullFilesystem(e, snapshots);
    assertNothingHalfWritten(root);
  }

  private static void assertNamesFullFilesystem(ResourceExhaustedException e, Path mountPoint) {
    String message = e.getMessage();
    assertTrue(message.contains(mountPoint.toString()), message);
    assertTrue(message.contains("tmpfs"), message);
    assertTrue(message.contains("no space left"), message);
    assertFalse(message.contains("java."), "no Java exception text: " + message);
  }

  private static void assertNothingHalfWritten(Path root) throws IOException {
    try (Stream<Path> ingest = Files.list(root.resolve("ingest"))) {
      assertEquals(List.of(), ingest.toList(), "partial blobs left in ingest");
    }
    try (Stream<Path> snapshots = Files.list(root.resolve("snapshots"))) {
      assertEquals(List.of(), snapshots.toList(), "partial snapshot directories left");
    }
    try (Stream<Path> blobs = Files.list(root.resolve("blobs/sha256"))) {
      for (Path blob : blobs.toList()) {
        assertTrue(Files.size(blob) < 1 << 20, "the big layer must not be stored: " + blob);
      }
    }
  }
}
