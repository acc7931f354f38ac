package dev.kona.image.pull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.UnavailableException;
import dev.kona.image.ImageService;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.registry.Credentials;
import dev.kona.image.store.ImageRecord;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.CountingProxy;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SampleImages;
import dev.kona.image.testing.TestImageServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults at the edges of a pull: a registry that corrupts, truncates, stalls or dies, and hostile
 * layers. After each, the store holds no image and no partial blob, and a retry succeeds.
 */
class ImagePullerFaultsTest {

  @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();

  static BuiltImage multi = SampleImages.multiLayer();

  @TempDir Path temp;
  private CountingProxy proxy;
  private ImageService images;

  @BeforeAll
  static void push() {
    registry.pusher().push("test/multi", "1", multi);
  }

  @BeforeEach
  void open() throws Exception {
    proxy = new CountingProxy(registry.url());
    images = TestImageServices.open(temp.resolve("images"), TestImageServices.insecure(proxy.host()));
  }

  @AfterEach
  void close() throws Exception {
    images.close();
    proxy.close();
    if (!registry.isRunning()) {
      registry.start();
    }
  }

  private ImageRecord pull() {
    return images.pull(ImageReference.parse(proxy.host() + "/test/multi:1"), Credentials.NONE);
  }

  private String layerPath(int i) {
    return "/blobs/" + multi.layers().get(i).digest();
  }

  @Test
  void pull_corruptedLayer_failsWithDigestMismatchAndRetrySucceeds() throws Exception {
    proxy.inject(new CountingProxy.Corrupt(layerPath(1)));
    FailedPreconditionException e = assertThrows(FailedPreconditionException.class, this::pull);
    assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains(multi.layers().get(1).digest().toString()), e.getMessage());
    assertConsistentWithoutImage();
    assertEquals(multi.id(), pull().id());
  }

  @Test
  void pull_truncatedLayer_failsAndRetrySucceeds() throws Exception {
    proxy.inject(new CountingProxy.Truncate(layerPath(0), 4096));
    UnavailableException e = assertThrows(UnavailableException.class, this::pull);
    assertTrue(e.getMessage().contains("stream broke after 4096 of " + multi.layers().getFirst().size() + " bytes"), e.getMessage());
    assertConsistentWithoutImage();
    assertEquals(multi.id(), pull().id());
  }

  @Test
  void pull_registryKilledMidPull_leavesStoreConsistentAndRetrySucceeds() throws Exception {
    proxy.inject(new CountingProxy.Before(layerPath(2), registry::stop));
    KonaException e = assertThrows(KonaException.class, this::pull);
    assertTrue(e.getMessage().contains("pull " + proxy.host() + "/test/multi:1"), e.getMessage());
    assertConsistentWithoutImage();
    registry.start();
    assertEquals(multi.id(), pull().id());
    assertEquals(1, images.list().size());
  }

  @Test
  void pull_stalledRegistry_isCancelledAfterTheProgressTimeout() throws Exception {
    images.close();
    images = TestImageServices.open(temp.resolve("images"), TestImageServices.insecure(proxy.host()).withProgressTimeoutSeconds(2));
    proxy.inject(new CountingProxy.Stall(layerPath(0), 1024, Duration.ofSeconds(60)));
    DeadlineExceededException e = assertThrows(DeadlineExceededException.class, this::pull);
    assertTrue(e.getMessage().contains("no progress for 2 s"), e.getMessage());
    assertConsistentWithoutImage();
    assertEquals(multi.id(), pull().id());
  }

  @Test
  void pull_hostileLayers_failNamingTheEntry() {
    TarArchiveEntry dotdot = new TarArchiveEntry("../../../escape-dotdot", TarConstants.LF_NORMAL, true);
    dotdot.setSize(1);
    assertHostileRefused("dotdot", new LayerBuilder().raw(dotdot, new byte[] {'x'}), "../../../escape-dotdot");
    TarArchiveEntry through = new TarArchiveEntry("etc-link/escape-symlink", TarConstants.LF_NORMAL, true);
    through.setSize(1);
    assertHostileRefused("symlink", new LayerBuilder().symlink("etc-link", "/tmp").raw(through, new byte[] {'x'}), "etc-link/escape-symlink");
    assertHostileRefused("hardlink", new LayerBuilder().hardlink("shadow", "../../../../etc/shadow"), "shadow");
    assertTrue(Files.notExists(Path.of("/tmp/escape-symlink")));
  }

  private void assertHostileRefused(String repo, LayerBuilder hostile, String entry) {
    BuiltImage image = SampleImages.withHostileLayer(hostile);
    registry.pusher().push("test/hostile-" + repo, "1", image);
    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class,
            () -> images.pull(ImageReference.parse(proxy.host() + "/test/hostile-" + repo + ":1"), Credentials.NONE));
    assertTrue(e.getMessage().contains("\"" + entry + "\""), e.getMessage());
    assertTrue(images.list().isEmpty());
  }

  private void assertConsistentWithoutImage() throws Exception {
    assertTrue(images.list().isEmpty(), "no image recorded");
    try (Stream<Path> ingest = Files.list(temp.resolve("images/ingest"))) {
      assertEquals(List.of(), ingest.toList(), "no partial blob left");
    }
    try (Stream<Path> snapshots = Files.list(temp.resolve("images/snapshots"))) {
      assertTrue(snapshots.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")), "no partial snapshot");
    }
    for (var blob : multi.layers()) {
      Path stored = temp.resolve("images/blobs/sha256").resolve(blob.digest().hex());
      if (Files.exists(stored)) {
        assertEquals(blob.size(), Files.size(stored), "a stored blob is complete");
      }
    }
  }
}
