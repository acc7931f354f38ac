package dev.kona.image.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code snapshots/<chain hex>/snapshot.json}: written last, so its presence marks a complete snapshot. */
@JsonIgnoreProperties(ignoreUnknown = true)
record SnapshotJson(String chainId, String link, long bytes, long inodes) {}
