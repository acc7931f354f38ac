package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.testing.TestImages;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Hostile images and a full disk, over the daemon's socket as the kubelet pulls (issue 19, items 1 and 9). */
class ImagePullHardeningTest {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  @TempDir Path temp;
  private KonaDaemon kona;
  private final List<Path> mounts = new ArrayList<>();

  @AfterEach
  void cleanup() throws Exception {
    if (kona != null) {
      kona.close();
    }
    for (Path mount : mounts.reversed()) {
      run("umount", mount.toString());
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
  }

  private StatusRuntimeException pullFails(String image) {
    return assertThrows(
        StatusRuntimeException.class,
        () -> kona.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build()));
  }

  @Test
  void pullImage_hardLinkThroughALowerLayersSymlink_isInvalidArgument_andCopiesNoHostFile() throws Exception {
    Path host = Files.createDirectories(temp.resolve("host"));
    String secret = "host secret " + UUID.randomUUID();
    Path sentinel = Files.writeString(host.resolve("secret"), secret);
    String image =
        registry.push(
            "escape",
            TestImages.builder()
                .layer(new LayerBuilder().symlink("a", host.toString()))
                .layer(new LayerBuilder().hardlink("x", "a/secret"))
                .build());
    kona = registry.startKona(temp.resolve("kona"));

    StatusRuntimeException e = pullFails(image);

    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(e.getStatus().getDescription().contains("\"x\""), e.getStatus().getDescription());
    assertEquals(secret, Files.readString(sentinel));
    assertEquals(1, (int) Files.getAttribute(sentinel, "unix:nlink"));
    try (Stream<Path> state = Files.walk(temp.resolve("kona/state"))) {
      for (Path p : state.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
        assertFalse(Files.readString(p, StandardCharsets.ISO_8859_1).contains(secret), p + " holds the host file");
      }
    }
  }

  @Test
  void pullImage_stateRootFull_isResourceExhaustedNamingTheFilesystem_andLeavesNothing() throws Exception {
    byte[] big = new byte[6 << 20];
    new Random(9).nextBytes(big);
    String image =
        registry.push(
            "big",
            TestImages.builder()
                .layer(new LayerBuilder().file("blob", big, 0644, 0, 0), TestImages.Compression.NONE)
                .build());
    Path state = Files.createDirectories(temp.resolve("kona/state"));
    run("mount", "-t", "tmpfs", "-o", "size=4m,nosuid,nodev", "kona-test", state.toString());
    mounts.add(state);
    kona = registry.startKona(temp.resolve("kona"));

    StatusRuntimeException e = pullFails(image);

    String message = e.getStatus().getDescription();
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(message.contains(state.toString()) && message.contains("tmpfs") && message.contains("no space left"), message);
    assertFalse(message.contains("java."), message);
    try (Stream<Path> ingest = Files.list(state.resolve("images/ingest"));
        Stream<Path> snapshots = Files.list(state.resolve("images/snapshots"))) {
      assertEquals(List.of(), ingest.toList(), "partial blobs left");
      assertEquals(List.of(), snapshots.toList(), "partial snapshots left");
    }
  }
}
