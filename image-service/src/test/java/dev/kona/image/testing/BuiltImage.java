package dev.kona.image.testing;

import dev.kona.image.content.Digest;
import java.util.List;

/**
 * A test image ready to push: its config and layer blobs, its manifest, and the diff IDs of its
 * layers (uncompressed digests).
 */
public record BuiltImage(Blob config, List<Blob> layers, Blob manifest, List<Digest> diffIds, String os, String architecture, String variant) {

  /** The image id Kona reports: the config digest. */
  public Digest id() {
    return config.digest();
  }

  public long compressedSize() {
    long size = 0;
    for (Blob layer : layers) {
      size += layer.size();
    }
    return size;
  }
}
