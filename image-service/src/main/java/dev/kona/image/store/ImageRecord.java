package dev.kona.image.store;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.image.content.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One stored image. {@code id} is the config digest; {@code blobs} lists every blob the image holds
 * (index, manifest, config, layers), {@code chainIds} its snapshots bottom to top. {@code size} is the
 * sum of those blobs, as containerd reports it to the kubelet.
 */
public record ImageRecord(
    Digest id,
    Digest manifestDigest,
    List<String> repoTags,
    List<String> repoDigests,
    long size,
    String user,
    boolean pinned,
    Map<String, String> annotations,
    List<Digest> blobs,
    List<Digest> chainIds,
    Instant pulledAt) {

  public ImageRecord {
    if (id == null || manifestDigest == null) {
      throw new InvalidArgumentException("image record: id and manifest digest are required");
    }
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
    user = user == null ? "" : user;
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    blobs = List.copyOf(blobs);
    chainIds = List.copyOf(chainIds);
    pulledAt = pulledAt == null ? Instant.EPOCH : pulledAt;
  }

  public ImageRecord withNames(List<String> tags, List<String> digests) {
    return new ImageRecord(
        id, manifestDigest, tags, digests, size, user, pinned, annotations, blobs, chainIds, pulledAt);
  }

  public ImageRecord withPinned(boolean pin) {
    return new ImageRecord(
        id, manifestDigest, repoTags, repoDigests, size, user, pin, annotations, blobs, chainIds, pulledAt);
  }
}
