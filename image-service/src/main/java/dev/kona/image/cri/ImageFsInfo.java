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
 * ImageFsInfo: bytes and inodes of the image store (running totals kept by the stores, no walk) plus
 * the containers' writable layers (walked at most every few seconds), which live on the same file
 * system. Like CRI-O without a separate image store, both lists carry the same entry: a container
 * filesystem with another mountpoint would make the kubelet treat the node as having split disks.
 * The kubelet and critest also call it as a connection probe, so it answers for an empty store.
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
    FilesystemUsage both =
        usage(timestamp, images.root(), new ImageService.Usage(image.bytes() + writable.bytes(), image.inodes() + writable.inodes()));
    return ImageFsInfoResponse.newBuilder().addImageFilesystems(both).addContainerFilesystems(both).build();
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
