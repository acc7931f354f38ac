package dev.kona.image.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.cri.api.v1.RemoveImageRequest;
import dev.kona.image.snapshot.RootfsPlan;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RemoveImageTest {

  @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();
  static BuiltImage image = SampleImages.multiLayer();

  @TempDir Path temp;
  CriFixture cri;

  @BeforeAll
  static void push() {
    for (String tag : List.of("1", "2", "3")) {
      registry.pusher().push("test/tags", tag, image);
    }
    registry.pusher().push("test/volume", "1", SampleImages.busybox());
  }

  @BeforeEach
  void open() {
    cri = new CriFixture(temp.resolve("images"), registry);
  }

  @AfterEach
  void close() {
    cri.close();
  }

  private void remove(String image) {
    Calls.call(cri.endpoint::removeImage, RemoveImageRequest.newBuilder().setImage(CriFixture.spec(image)).build());
  }

  private long count(String dir) throws Exception {
    try (Stream<Path> entries = Files.list(temp.resolve("images").resolve(dir))) {
      return entries.count();
    }
  }

  @Test
  void removeImage_byTag_untagsWhileOtherTagsRemain() {
    String id = cri.pull("test/tags:1");
    cri.pull("test/tags:2");
    remove(cri.name("test/tags:1"));
    assertFalse(cri.status(cri.name("test/tags:1"), false).hasImage());
    assertEquals(List.of(cri.name("test/tags:2")), cri.status(id, false).getImage().getRepoTagsList());
    remove(cri.name("test/tags:2"));
    assertFalse(cri.status(id, false).hasImage(), "the last tag takes the image with it");
  }

  @Test
  void removeImage_byId_removesImageAndCollectsItsContent() throws Exception {
    String id = cri.pull("test/tags:1");
    cri.pull("test/tags:2");
    assertEquals(5, count("blobs/sha256"), "manifest, config, three layers");
    assertEquals(3, count("snapshots"));
    remove(id);
    assertFalse(cri.status(cri.name("test/tags:2"), false).hasImage());
    assertEquals(0, count("blobs/sha256"));
    assertEquals(0, count("snapshots"));
    assertEquals(0, count("l"));
    remove(id);
    remove("docker.io/library/never-pulled:1");
  }

  @Test
  void removeImage_usedByAContainer_keepsLayersUntilReleased() throws Exception {
    String id = cri.pull("test/tags:3");
    RootfsPlan plan = cri.images.prepareRootfs("ctr", id);
    remove(id);
    assertFalse(cri.status(id, false).hasImage());
    assertEquals(3, count("snapshots"), "the container still stacks on them");
    for (Path lower : plan.lowerDirs()) {
      assertTrue(Files.isDirectory(lower));
    }
    cri.images.releaseRootfs("ctr");
    assertEquals(0, count("snapshots"));
    assertEquals(0, count("containers"));
  }

  @Test
  void removeImage_mountedAsVolume_refusedUntilTheLastContainerIsReleased() throws Exception {
    String id = cri.pull("test/tags:3");
    String volume = cri.pull("test/volume:1");
    cri.images.prepareRootfs("first", id);
    cri.images.prepareRootfs("second", id);
    RootfsPlan plan = cri.images.prepareImageMount("first", volume).plan();
    cri.images.prepareImageMount("second", cri.name("test/volume:1"));
    assertEquals(null, plan.upperDir(), "no writable layer");
    assertEquals(List.of("ro"), plan.mounts().getFirst().options().subList(0, 1));

    FailedPreconditionException refused = org.junit.jupiter.api.Assertions.assertThrows(
        FailedPreconditionException.class, () -> remove(volume));
    assertTrue(refused.getMessage().contains("mounted as an image volume by container first, second"),
        refused.getMessage());
    assertTrue(cri.status(volume, false).hasImage());

    cri.images.releaseRootfs("first");
    assertThrows(() -> remove(cri.name("test/volume:1")), "second still mounts it");
    cri.images.releaseRootfs("second");
    remove(volume);
    assertFalse(cri.status(volume, false).hasImage());
    assertEquals(0, count("containers"));
  }

  private static void assertThrows(Runnable call, String why) {
    org.junit.jupiter.api.Assertions.assertThrows(FailedPreconditionException.class, call::run, why);
  }
}
