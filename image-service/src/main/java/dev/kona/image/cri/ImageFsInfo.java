package dev.kona.image.cri;

import dev.kona.common.error.InternalException;
import dev.kona.cri.api.v1.FilesystemIdentifier;
import dev.kona.cri.api.v1.FilesystemUsage;
import dev.kona.cri.api.v1.ImageFsInfoRequest;
import dev.kona.cri.api.v1.ImageFsInfoResponse;
import dev.kona.cri.api.v1.UInt64Value;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;

/**
 * ImageFsInfo: bytes and inodes the image store uses. The kubelet and critest call it as a
 * connection probe, so it must answer even for an empty store.
 */
final class ImageFsInfo {

  private final Path imageRoot;

  ImageFsInfo(Path imageRoot) {
    this.imageRoot = imageRoot;
  }

  ImageFsInfoResponse handle(ImageFsInfoRequest request) {
    long[] usage = usage(imageRoot);
    Instant now = Instant.now();
    FilesystemUsage fs =
        FilesystemUsage.newBuilder()
            .setTimestamp(now.getEpochSecond() * 1_000_000_000L + now.getNano())
            .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(imageRoot.toString()))
            .setUsedBytes(UInt64Value.newBuilder().setValue(usage[0]))
            .setInodesUsed(UInt64Value.newBuilder().setValue(usage[1]))
            .build();
    return ImageFsInfoResponse.newBuilder().addImageFilesystems(fs).build();
  }

  private static long[] usage(Path root) {
    long[] bytesAndInodes = new long[2];
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              bytesAndInodes[1]++;
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              bytesAndInodes[0] += attrs.size();
              bytesAndInodes[1]++;
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new InternalException("measure image store " + root + ": " + e.getMessage(), e);
    }
    return bytesAndInodes;
  }
}
