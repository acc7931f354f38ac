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
 * of the containers' writable layers (walked at most every few seconds).
 *
 * <p>When the layers live with the images (no {@code containers_root}), both lists carry the same
 * entry, their sum, as CRI-O does without a separate image store: a container filesystem with
 * another mountpoint would make the kubelet treat the node as having split disks. With a {@code
 * containers_root} (a split image filesystem, KEP-4191), {@code image_filesystems} is the image
 * store alone and {@code container_filesystems} the writable layers alone, each with its own root as
 * the mountpoint, as CRI-O does with a separate image store; the kubelet finds the disk under each.
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
    if (images.containersRoot().isPresent()) {
      return ImageFsInfoResponse.newBuilder()
          .addImageFilesystems(usage(timestamp, images.root(), image))
          .addContainerFilesystems(usage(timestamp, images.containersRoot().get(), writable))
          .build();
    }
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
