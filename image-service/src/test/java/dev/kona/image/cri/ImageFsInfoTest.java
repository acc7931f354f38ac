package dev.kona.image.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.cri.api.v1.FilesystemUsage;
import dev.kona.cri.api.v1.ImageFsInfoRequest;
import dev.kona.cri.api.v1.ImageFsInfoResponse;
import dev.kona.image.content.FileTrees;
import dev.kona.image.snapshot.RootfsPlan;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ImageFsInfoTest {

  @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();

  @TempDir Path temp;
  CriFixture cri;

  @BeforeAll
  static void push() {
    registry.pusher().push("test/fs", "1", SampleImages.multiLayer());
  }

  @BeforeEach
  void open() {
    cri = new CriFixture(temp.resolve("images"), registry);
  }

  @AfterEach
  void close() {
    cri.close();
  }

  private ImageFsInfoResponse info() {
    return Calls.call(cri.endpoint::imageFsInfo, ImageFsInfoRequest.getDefaultInstance());
  }

  @Test
  void imageFsInfo_emptyStore_answersOneFilesystemForImagesAndContainers() {
    ImageFsInfoResponse response = info();
    FilesystemUsage image = response.getImageFilesystems(0);
    assertEquals(temp.resolve("images").toString(), image.getFsId().getMountpoint());
    assertEquals(0, image.getUsedBytes().getValue());
    assertEquals(image, response.getContainerFilesystems(0), "same entry: not a split-disk node");
    assertTrue(image.getTimestamp() > 0);
  }

  @Test
  void imageFsInfo_afterPull_countsBlobsAndUnpackedFilesWithoutAWalk() throws Exception {
    cri.pull("test/fs:1");
    FilesystemUsage image = info().getImageFilesystems(0);
    long blobs = FileTrees.usage(temp.resolve("images/blobs"))[0];
    long unpacked = 0;
    try (var snapshots = Files.list(temp.resolve("images/snapshots"))) {
      for (Path snapshot : snapshots.toList()) {
        unpacked += FileTrees.usage(snapshot.resolve("fs"))[0];
      }
    }
    assertEquals(blobs + unpacked, image.getUsedBytes().getValue());
    assertTrue(image.getInodesUsed().getValue() > 20);
  }

  @Test
  void imageFsInfo_containerWrites_showInContainerFilesystems() throws Exception {
    String id = cri.pull("test/fs:1");
    RootfsPlan plan = cri.images.prepareRootfs("writer", id);
    Files.write(plan.upperDir().resolve("blob"), new byte[123_456]);
    ImageFsInfoResponse response = info();
    assertTrue(response.getContainerFilesystems(0).getUsedBytes().getValue() >= 123_456 + cri.images.imageFsUsage().bytes());
    assertEquals(123_456, cri.images.writableLayerUsage("writer").bytes());
    cri.images.releaseRootfs("writer");
  }

  @Test
  void imageFsInfo_containersRootApart_reportsImagesAndWritableLayersEachAlone() throws Exception {
    cri.close();
    Path containersRoot = Files.createDirectories(temp.resolve("containers-fs"));
    cri = new CriFixture(temp.resolve("images"), java.util.Optional.of(containersRoot), registry);
    String id = cri.pull("test/fs:1");
    RootfsPlan plan = cri.images.prepareRootfs("writer", id);
    assertTrue(plan.upperDir().startsWith(containersRoot.resolve("layers")), plan.upperDir().toString());
    Files.write(plan.upperDir().resolve("blob"), new byte[123_456]);

    ImageFsInfoResponse response = info();
    FilesystemUsage image = response.getImageFilesystems(0);
    FilesystemUsage containers = response.getContainerFilesystems(0);
    assertEquals(temp.resolve("images").toString(), image.getFsId().getMountpoint());
    assertEquals(containersRoot.toString(), containers.getFsId().getMountpoint());
    assertEquals(cri.images.imageFsUsage().bytes(), image.getUsedBytes().getValue(), "the images alone");
    long layer = FileTrees.usage(containersRoot.resolve("layers"))[0];
    assertEquals(layer, containers.getUsedBytes().getValue(), "the writable layers alone, measured anew");
    assertTrue(layer >= 123_456, "layer " + layer);
    assertEquals(FileTrees.usage(containersRoot.resolve("layers"))[1], containers.getInodesUsed().getValue());

    cri.images.releaseRootfs("writer");
    assertEquals(0, info().getContainerFilesystems(0).getUsedBytes().getValue(), "a removed layer counts no more");
  }

  @Test
  void open_containersRootMovedWhileLayersExist_isRefusedNamingBothPlaces() throws Exception {
    String id = cri.pull("test/fs:1");
    cri.images.prepareRootfs("stays", id);
    cri.close();
    Path elsewhere = temp.resolve("containers-fs");
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.kona.common.error.FailedPreconditionException.class,
        () -> new CriFixture(temp.resolve("images"), java.util.Optional.of(elsewhere), registry));
    assertTrue(e.getMessage().contains("stays") && e.getMessage().contains(temp.resolve("images/containers").toString())
        && e.getMessage().contains(elsewhere.resolve("layers").toString()), e.getMessage());
    // set back, the layer is found where it is
    cri = new CriFixture(temp.resolve("images"), registry);
    assertTrue(Files.isDirectory(cri.images.containersDir().resolve("stays/upper")));
    cri.images.releaseRootfs("stays");
    cri.close();
    cri = new CriFixture(temp.resolve("images"), java.util.Optional.of(elsewhere), registry);
    assertEquals(elsewhere.toString(), info().getContainerFilesystems(0).getFsId().getMountpoint(),
        "no layer left: the move is allowed");
  }
}
