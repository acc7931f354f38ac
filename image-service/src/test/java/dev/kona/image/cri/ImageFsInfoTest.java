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
}
