package dev.kona.image.store;

import dev.kona.image.content.Digest;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Protects content a pull is still assembling from the garbage collector: blobs and snapshots named
 * by an open lease are kept even though no image record references them yet.
 */
public final class Leases {

  private final Set<Lease> open = ConcurrentHashMap.newKeySet();

  public Lease acquire() {
    Lease lease = new Lease();
    open.add(lease);
    return lease;
  }

  /** Runs {@code action} with the leased set while no lease can take more content. */
  public synchronized void whileHeld(java.util.function.Consumer<Set<Digest>> action) {
    action.accept(leased());
  }

  public Set<Digest> leased() {
    Set<Digest> all = new HashSet<>();
    for (Lease lease : open) {
      all.addAll(lease.digests);
    }
    return all;
  }

  /** Content held for one operation; close when the image record is written (or the pull failed). */
  public final class Lease implements AutoCloseable {
    private final Set<Digest> digests = ConcurrentHashMap.newKeySet();

    public void hold(Digest digest) {
      synchronized (Leases.this) {
        digests.add(digest);
      }
    }

    @Override
    public void close() {
      open.remove(this);
    }
  }
}
