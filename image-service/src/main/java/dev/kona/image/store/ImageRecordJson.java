package dev.kona.image.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.kona.image.content.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The on-disk JSON of an image record ({@code records/<id hex>.json}). */
@JsonIgnoreProperties(ignoreUnknown = true)
record ImageRecordJson(
    String id,
    String manifestDigest,
    List<String> repoTags,
    List<String> repoDigests,
    long size,
    String user,
    boolean pinned,
    Map<String, String> annotations,
    List<String> blobs,
    List<String> chainIds,
    String pulledAt) {

  static ImageRecordJson of(ImageRecord r) {
    return new ImageRecordJson(
        r.id().toString(),
        r.manifestDigest().toString(),
        r.repoTags(),
        r.repoDigests(),
        r.size(),
        r.user(),
        r.pinned(),
        r.annotations(),
        r.blobs().stream().map(Digest::toString).toList(),
        r.chainIds().stream().map(Digest::toString).toList(),
        r.pulledAt().toString());
  }

  ImageRecord toRecord() {
    return new ImageRecord(
        Digest.parse(id),
        Digest.parse(manifestDigest),
        repoTags == null ? List.of() : repoTags,
        repoDigests == null ? List.of() : repoDigests,
        size,
        user,
        pinned,
        annotations,
        blobs == null ? List.of() : blobs.stream().map(Digest::parse).toList(),
        chainIds == null ? List.of() : chainIds.stream().map(Digest::parse).toList(),
        pulledAt == null ? Instant.EPOCH : Instant.parse(pulledAt));
  }
}
