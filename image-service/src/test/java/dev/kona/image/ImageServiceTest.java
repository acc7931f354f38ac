package dev.kona.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.image.manifest.ImageRunConfig;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.registry.Credentials;
import dev.kona.image.snapshot.RootfsPlan;
import dev.kona.image.store.ImageRecord;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SampleImages;
import dev.kona.image.testing.TestImageServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The engine across restarts: records, snapshots and container layers survive; crash leftovers go. */
class ImageServiceTest {

  @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();

  @TempDir Path temp;

  @Test
  void pull_configuredPinnedImage_isReportedPinned() {
    registry.pusher().push("test/pause", "3.9", SampleImages.busybox());
    registry.pusher().push("test/other", "1", SampleImages.withUser("7"));
    ImageConfig config = TestImageServices.insecure(registry.host()).withPinnedImages(List.of(registry.host() + "/test/pause:3.9"));
    try (ImageService images = TestImageServices.open(temp.resolve("pinned"), config)) {
      assertTrue(images.pull(ImageReference.parse(registry.host() + "/test/pause:3.9"), Credentials.NONE).pinned());
      assertFalse(images.pull(ImageReference.parse(registry.host() + "/test/other:1"), Credentials.NONE).pinned());
    }
  }

  @Test
  void open_afterRestart_keepsImagesAndContainerLayersAndSweepsLeftovers() throws Exception {
    BuiltImage image = SampleImages.withUser("1000:1000");
    registry.pusher().push("test/restart", "1", image);
    Path root = temp.resolve("images");
    ImageRecord pulled;
    RootfsPlan plan;
    try (ImageService images = TestImageServices.open(root, TestImageServices.insecure(registry.host()))) {
      pulled = images.pull(ImageReference.parse(registry.host() + "/test/restart:1"), Credentials.NONE);
      plan = images.prepareRootfs("survivor", pulled.id().toString());
      Files.writeString(plan.upperDir().resolve("state"), "kept");
    }
    // what a kill -9 in the middle of pulls would leave behind
    Files.writeString(root.resolve("ingest/deadbeef.partial"), "half a blob");
    Files.createDirectories(root.resolve("snapshots/.tmp-crashed/fs"));
    Files.writeString(root.resolve("records/.tmp-x.json.1"), "{");
    Path orphan = root.resolve("blobs/sha256").resolve("f".repeat(64));
    Files.writeString(orphan, "unreferenced");
    Files.createDirectories(root.resolve("containers/half-created/upper"));

    try (ImageService images = TestImageServices.open(root, TestImageServices.insecure(registry.host()))) {
      assertEquals(List.of(pulled), images.list());
      assertEquals(plan, images.prepareRootfs("survivor", pulled.id().toString()));
      assertEquals("kept", Files.readString(plan.upperDir().resolve("state")));
      ImageRunConfig run = images.runConfig(pulled);
      assertEquals("1000:1000", run.user());
      assertEquals(List.of("sh"), run.cmd());
      assertFalse(Files.exists(root.resolve("ingest/deadbeef.partial")));
      assertFalse(Files.exists(root.resolve("snapshots/.tmp-crashed")));
      assertFalse(Files.exists(root.resolve("records/.tmp-x.json.1")));
      assertFalse(Files.exists(orphan), "unreferenced blob collected at start");
      assertFalse(Files.exists(root.resolve("containers/half-created")));
      images.remove(pulled.id().toString());
      assertTrue(Files.isDirectory(plan.lowerDirs().getFirst()), "the container keeps its layers");
      images.releaseRootfs("survivor");
      assertFalse(Files.exists(plan.lowerDirs().getFirst()));
    }
  }
}
