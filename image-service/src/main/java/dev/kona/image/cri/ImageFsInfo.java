package dev.kona.image.cri;

import dev.kona.cri.api.v1.FilesystemIdentifier;
import dev.kona.cri.api.v1.FilesystemUsage;
import dev.kona.cri.api.v1.ImageFsInfoRequest;
import dev.kona.cri.api.v1.ImageFsInfoResponse;
import dev.kona.cri.api.v1.UInt64Value;
import dev.kona.image.ImageService;
import java.nio.file.Path;
import java.time.Instant;

/**
 * ImageFsInfo: bytes and inodes of the image store (running totals kept by the stores, no walk) and
 * of the containers' writable layers (walked at most every few seconds). The kubelet and critest
 * also call it as a connection probe, so it answers for an empty store.
 */
final class ImageFsInfo {

  private final ImageService images;

  ImageFsInfo(ImageService images) {
    this.images = images;
  }

  ImageFsInfoResponse handle(ImageFsInfoRequest request) {
    Instant now = Instant.now();
    long timestamp = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    ImageService.Usage image = images.imageFsUsage();
    ImageService.Usage writable = images.containerFsUsage();
    return ImageFsInfoResponse.newBuilder()
        .addImageFilesystems(usage(timestamp, images.root(), image))
        .addContainerFilesystems(usage(timestamp, images.containersDir(), writable))
        .build();
  }

  private static FilesystemUsage usage(long timestamp, Path mountpoint, ImageService.Usage usage) {
    return FilesystemUsage.newBuilder()
        .setTimestamp(timestamp)
        .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(mountpoint.toString()))
        .setUsedBytes(UInt64Value.newBuilder().setValue(usage.bytes()))
        .setInodesUsed(UInt64Value.newBuilder().setValue(usage.inodes()))
        .build();
  }
}
