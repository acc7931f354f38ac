package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.KeyValue;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a pulled image and a created container leave on the host is reachable by root only: a
 * setuid-root binary and a 0666 device node from a layer cannot be used by {@code nobody}, nor can
 * the container's config, record and launch plan (which hold its environment) be read.
 */
class StatePermissionsTest {

  private static final String SECRET = "KONA_TEST_SECRET=hunter2-" + ProcessHandle.current().pid();

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  private static String image;

  @TempDir Path root;

  @BeforeAll
  static void pushHostileImage() throws IOException {
    LayerBuilder layer = TestImages.busyboxBase()
        .dir("usr/local/suid", 0755)
        .hostFile("usr/local/suid/busybox", TestImages.BUSYBOX, 04755)
        .dir("dev", 0755)
        .charDevice("dev/kona-null", 1, 3, 0666);
    image = registry.push("hostile", TestImages.builder().layer(layer).label("setuid and device").build());
  }

  @Test
  void pulledImageAndContainerState_unreachableByOtherUsers() throws Exception {
    // @TempDir is 0700 itself; open it up so that only Kona's own modes stand between nobody and the state.
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    KonaDaemon kona = registry.startKona(root);
    try {
      kona.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build());
      PodSandboxConfig podConfig =
          PodSandboxTest.config("perms").toBuilder().setLogDirectory(root.resolve("logs").toString()).build();
      String pod = kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(podConfig).build())
          .getPodSandboxId();
      String[] secret = SECRET.split("=", 2);
      kona.runtime().createContainer(CreateContainerRequest.newBuilder()
          .setPodSandboxId(pod)
          .setSandboxConfig(podConfig)
          .setConfig(ContainerConfig.newBuilder()
              .setMetadata(ContainerMetadata.newBuilder().setName("app"))
              .setImage(ImageSpec.newBuilder().setImage(image))
              .addAllCommand(List.of("sleep", "60"))
              .addEnvs(KeyValue.newBuilder().setKey(secret[0]).setValue(com.google.protobuf.ByteString.copyFromUtf8(secret[1])))
              .setLogPath("app/0.log"))
          .build());

      Path state = root.resolve("state");
      Path run = root.resolve("run");
      // the image's own trees (not the container's rootfs mount, which shows the same files)
      Path suid = find(state.resolve("images"), "usr/local/suid/busybox");
      assertEquals(04755, (int) Files.getAttribute(suid, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777,
          "the image's setuid binary is unpacked as it is");
      assertDenied(suid + " true", suid.toString(), "true");
      Path device = find(state.resolve("images"), "dev/kona-null");
      assertDenied("open " + device, "/bin/sh", "-c", "exec 3<>'" + device + "'");

      List<Path> holdingSecret = new ArrayList<>();
      holdingSecret.addAll(filesContaining(state, secret[1]));
      holdingSecret.addAll(filesContaining(run, secret[1]));
      assertTrue(holdingSecret.stream().anyMatch(p -> p.getFileName().toString().equals("config.json")),
          "config.json among " + holdingSecret);
      assertTrue(holdingSecret.size() >= 3, "config.json, the record and the launch plan: " + holdingSecret);
      for (Path file : holdingSecret) {
        assertEquals("rw-------", mode(file), file + " holds the container's environment");
        assertDenied("read " + file, "/bin/cat", file.toString());
      }
      assertEquals("rwx------", mode(state), "state root");
      assertEquals("rwx------", mode(run), "run root");
    } finally {
      try {
        kona.removeAllPods();
      } finally {
        kona.close();
      }
    }
    assertEquals(List.of(), PodSandboxTest.mountsUnder(root), "mounts left under the test root");
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }

  private static Path find(Path under, String name) throws IOException {
    try (Stream<Path> walk = Files.walk(under)) {
      List<Path> found = walk.filter(p -> p.endsWith(name)).toList();
      assertFalse(found.isEmpty(), name + " under " + under);
      return found.getFirst();
    }
  }

  private static List<Path> filesContaining(Path under, String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(under)) {
      for (Path p : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
        String content;
        try {
          content = Files.size(p) < 4 << 20 ? new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1) : "";
        } catch (IOException notAFile) {
          continue; // a pinned namespace (nsfs) looks like a regular file but cannot be read
        }
        if (content.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
          found.add(p);
        }
      }
    }
    return found;
  }

  /**
   * Runs {@code command} as nobody (uid and gid 65534, no supplementary groups): it must be refused.
   * A shell execs the command: setpriv keeps a saved uid of 0 (and with it the capabilities) until
   * its own execve, so a path that setpriv itself executes is looked up with root's rights.
   */
  private static void assertDenied(String what, String... command) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(
        "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", "/bin/sh", "-c", "exec \"$0\" \"$@\""));
    argv.addAll(List.of(command));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    assertNotEquals(0, code, "nobody could " + what + ": " + out);
    assertTrue(out.contains("Permission denied"), "nobody: " + what + ": " + out);
  }
}
