package dev.kona.image.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InternalException;
import dev.kona.image.content.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {

  @TempDir Path root;

  private static Digest chain(String seed) {
    return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void commit_createsSnapshotAndShortLink() throws Exception {
    SnapshotStore store = SnapshotStore.open(root);
    Digest id = chain("a");
    Snapshot snapshot = store.commit(id, dir -> {
      Files.writeString(dir.resolve("f"), "12345");
      return new long[] {5, 1};
    });
    assertEquals(root.resolve("snapshots").resolve(id.hex()).resolve("fs"), snapshot.dir());
    assertEquals("12345", Files.readString(root.resolve("l").resolve(snapshot.link()).resolve("f")));
    assertEquals(12, snapshot.link().length());
    assertEquals(5, store.usedBytes());
    assertEquals(1, store.usedInodes());
  }

  @Test
  void commit_concurrentSameChain_fillsOnce() throws Exception {
    SnapshotStore store = SnapshotStore.open(root);
    AtomicInteger fills = new AtomicInteger();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Future<Snapshot> first = pool.submit(() -> store.commit(chain("b"), dir -> {
        fills.incrementAndGet();
        inside.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new java.io.InterruptedIOException();
        }
        return new long[] {0, 0};
      }));
      inside.await();
      Future<Snapshot> second = pool.submit(() -> store.commit(chain("b"), dir -> {
        fills.incrementAndGet();
        return new long[] {0, 0};
      }));
      Thread.sleep(100);
      release.countDown();
      assertEquals(first.get(), second.get());
    }
    assertEquals(1, fills.get());
  }

  @Test
  void commit_failingFiller_leavesNothing() throws Exception {
    SnapshotStore store = SnapshotStore.open(root);
    assertThrows(InternalException.class, () -> store.commit(chain("c"), dir -> {
      Files.writeString(dir.resolve("half"), "x");
      throw new java.io.IOException("disk on fire");
    }));
    assertTrue(store.get(chain("c")).isEmpty());
    try (Stream<Path> left = Files.list(root.resolve("snapshots"))) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void open_afterCrash_sweepsIncompleteSnapshotsAndKeepsComplete() throws Exception {
    SnapshotStore store = SnapshotStore.open(root);
    Snapshot kept = store.commit(chain("d"), dir -> new long[] {0, 1});
    Files.createDirectories(root.resolve("snapshots/.tmp-crashed/fs"));
    Files.createDirectories(root.resolve("snapshots").resolve(chain("e").hex()).resolve("fs"));
    Files.delete(root.resolve("l").resolve(kept.link()));
    SnapshotStore reopened = SnapshotStore.open(root);
    assertEquals(List.of(kept), reopened.list());
    assertFalse(Files.exists(root.resolve("snapshots/.tmp-crashed")));
    assertFalse(Files.exists(root.resolve("snapshots").resolve(chain("e").hex())));
    assertTrue(Files.isDirectory(root.resolve("l").resolve(kept.link())), "link restored");
  }

  @Test
  void remove_deletesDirAndLink() throws Exception {
    SnapshotStore store = SnapshotStore.open(root);
    Snapshot s = store.commit(chain("f"), dir -> new long[] {0, 1});
    store.remove(s.chainId());
    store.remove(s.chainId());
    assertFalse(Files.exists(root.resolve("snapshots").resolve(s.chainId().hex())));
    assertFalse(Files.exists(root.resolve("l").resolve(s.link()), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertEquals(0, store.usedInodes());
  }
}
