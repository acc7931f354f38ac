package dev.kona.image.store;

import dev.kona.image.content.ContentStore;
import dev.kona.image.content.Digest;
import dev.kona.image.snapshot.ContainerRootfs;
import dev.kona.image.snapshot.Snapshot;
import dev.kona.image.snapshot.SnapshotStore;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes blobs and snapshots that nothing references: no image record, no container's writable
 * layer, no open lease (a pull under way). Runs after removals and at start-up (which sweeps what an
 * interrupted pull left).
 */
public final class GarbageCollector {

  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final ImageStore images;
  private final ContentStore content;
  private final SnapshotStore snapshots;
  private final ContainerRootfs containers;
  private final Leases leases;

  public GarbageCollector(
      ImageStore images, ContentStore content, SnapshotStore snapshots, ContainerRootfs containers, Leases leases) {
    this.images = images;
    this.content = content;
    this.snapshots = snapshots;
    this.containers = containers;
    this.leases = leases;
  }

  /** Returns how many blobs and snapshots were removed. */
  public synchronized int collect() {
    int[] removed = new int[1];
    leases.whileHeld(
        leased -> {
          Set<Digest> keepBlobs = new HashSet<>(leased);
          Set<Digest> keepChains = new HashSet<>(leased);
          keepChains.addAll(containers.chainsInUse());
          for (ImageRecord image : images.list()) {
            keepBlobs.addAll(image.blobs());
            keepChains.addAll(image.chainIds());
          }
          for (Digest blob : content.list()) {
            if (!keepBlobs.contains(blob)) {
              content.delete(blob);
              removed[0]++;
            }
          }
          for (Snapshot snapshot : snapshots.list()) {
            if (!keepChains.contains(snapshot.chainId())) {
              snapshots.remove(snapshot.chainId());
              removed[0]++;
            }
          }
        });
    if (removed[0] > 0) {
      LOG.info("garbage collection removed {} blobs and snapshots", removed[0]);
    }
    return removed[0];
  }
}
