package dev.kona.image.content;

import dev.kona.common.error.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI content descriptor: what a manifest or index says about a blob. {@code platform} is set for
 * index entries that name one.
 */
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    Optional<Platform> platform,
    Map<String, String> annotations,
    List<String> urls) {

  public Descriptor {
    if (digest == null) {
      throw new InvalidArgumentException("descriptor: digest is required");
    }
    if (size < 0) {
      throw new InvalidArgumentException("descriptor " + digest + ": size must be >= 0, got " + size);
    }
    mediaType = mediaType == null ? "" : mediaType;
    platform = platform == null ? Optional.empty() : platform;
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    urls = urls == null ? List.of() : List.copyOf(urls);
  }

  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, Optional.empty(), Map.of(), List.of());
  }

  @Override
  public String toString() {
    return mediaType + " " + digest + " (" + size + " bytes)";
  }
}
