package dev.kona.image.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.UnavailableException;
import dev.kona.common.fs.AtomicFile;
import dev.kona.common.fs.DirectoryTree;
import dev.kona.image.content.Digest;
import dev.kona.image.content.DiskFull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacked layers under {@code <root>/snapshots/<chain hex>/fs}, each with a short symlink
 * {@code <root>/l/<12+ hex>} so that overlay options stay short.
 *
 * <p>Lifecycle: {@link #commit} unpacks into {@code snapshots/.tmp-*}, writes {@code snapshot.json}
 * and renames into place, so a snapshot directory that exists is complete; concurrent commits of one
 * chain ID unpack it once. Leftover temp dirs, incomplete snapshots and dangling links are removed
 * when the store opens. {@link #remove} is the garbage collector's; it renames the snapshot away
 * before deleting, so a crash never leaves a half-deleted snapshot under its real name.
 */
public final class SnapshotStore {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String META = "snapshot.json";

  /** Fills an empty directory; returns what it wrote. */
  @FunctionalInterface
  public interface Filler {
    long[] fill(Path dir) throws IOException;
  }

  private final Path root;
  private final Path snapshots;
  private final Path links;
  private final Map<Digest, Snapshot> committed = new ConcurrentHashMap<>();
  private final Map<Digest, CompletableFuture<Snapshot>> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong inodes = new AtomicLong();

  private SnapshotStore(Path root) {
    this.root = root;
    this.snapshots = root.resolve("snapshots");
    this.links = root.resolve("l");
  }

  public static SnapshotStore open(Path root) throws IOException {
    SnapshotStore store = new SnapshotStore(root);
    Files.createDirectories(store.snapshots);
    Files.createDirectories(store.links);
    store.load();
    return store;
  }

  private void load() throws IOException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(snapshots)) {
      for (Path dir : dirs) {
        Path meta = dir.resolve(META);
        if (dir.getFileName().toString().startsWith(AtomicFile.TEMP_PREFIX) || !Files.isRegularFile(meta)) {
          LOG.info("removing incomplete snapshot {}", dir);
          DirectoryTree.delete(dir);
          continue;
        }
        SnapshotJson json = JSON.readValue(meta.toFile(), SnapshotJson.class);
        Snapshot snapshot = new Snapshot(Digest.parse(json.chainId()), dir.resolve("fs"), json.link(), json.bytes(), json.inodes());
        ensureLink(snapshot);
        add(snapshot);
      }
    }
    try (DirectoryStream<Path> all = Files.newDirectoryStream(links)) {
      for (Path link : all) {
        if (!Files.exists(link)) {
          Files.deleteIfExists(link);
        }
      }
    }
  }

  /** The images root: overlay options relative to it need a mounter chdir'd here. */
  public Path root() {
    return root;
  }

  public Optional<Snapshot> get(Digest chainId) {
    return Optional.ofNullable(committed.get(chainId));
  }

  public List<Snapshot> list() {
    return List.copyOf(committed.values());
  }

  /** Returns the snapshot of {@code chainId}, filling it with {@code filler} once if it is not there. */
  public Snapshot commit(Digest chainId, Filler filler) {
    Snapshot existing = committed.get(chainId);
    if (existing != null) {
      return existing;
    }
    CompletableFuture<Snapshot> mine = new CompletableFuture<>();
    CompletableFuture<Snapshot> running = inFlight.putIfAbsent(chainId, mine);
    if (running != null) {
      return await(running);
    }
    try {
      Snapshot snapshot = committed.get(chainId);
      if (snapshot == null) {
        snapshot = create(chainId, filler);
      }
      mine.complete(snapshot);
      return snapshot;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(chainId, mine);
    }
  }

  private Snapshot create(Digest chainId, Filler filler) {
    Path temp = snapshots.resolve(AtomicFile.TEMP_PREFIX + UUID.randomUUID());
    Path fs = temp.resolve("fs");
    Path target = snapshots.resolve(chainId.hex());
    try {
      Files.createDirectories(fs);
      long[] usage = filler.fill(fs);
      String link = freeLinkName(chainId);
      Snapshot snapshot = new Snapshot(chainId, target.resolve("fs"), link, usage[0], usage[1]);
      AtomicFile.write(
          temp.resolve(META),
          JSON.writeValueAsBytes(new SnapshotJson(chainId.toString(), link, usage[0], usage[1])));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      AtomicFile.fsyncDirectory(snapshots);
      ensureLink(snapshot);
      add(snapshot);
      return snapshot;
    } catch (IOException e) {
      deleteQuietly(temp);
      if (DiskFull.is(e)) {
        throw DiskFull.error("commit snapshot " + chainId, snapshots, e);
      }
      throw new InternalException("commit snapshot " + chainId + ": " + e, e);
    } catch (RuntimeException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  private String freeLinkName(Digest chainId) {
    for (int length = 12; length <= 64; length += 4) {
      String name = chainId.hex().substring(0, length);
      Path link = links.resolve(name);
      if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS) || isLinkTo(link, chainId)) {
        return name;
      }
    }
    return chainId.hex();
  }

  private boolean isLinkTo(Path link, Digest chainId) {
    try {
      return Files.readSymbolicLink(link).toString().contains(chainId.hex());
    } catch (IOException e) {
      return false;
    }
  }

  private void ensureLink(Snapshot snapshot) throws IOException {
    Path link = links.resolve(snapshot.link());
    if (isLinkTo(link, snapshot.chainId())) {
      return;
    }
    Files.deleteIfExists(link);
    try {
      Files.createSymbolicLink(link, Path.of("..", "snapshots", snapshot.chainId().hex(), "fs"));
    } catch (FileAlreadyExistsException e) {
      // a concurrent ensureLink made the same link
    }
  }

  private void add(Snapshot snapshot) {
    if (committed.putIfAbsent(snapshot.chainId(), snapshot) == null) {
      bytes.addAndGet(snapshot.bytes());
      inodes.addAndGet(snapshot.inodes());
    }
  }

  /** Deletes a snapshot; a missing one counts as deleted. Callers ensure nothing references it. */
  public void remove(Digest chainId) {
    Snapshot snapshot = committed.remove(chainId);
    if (snapshot == null) {
      return;
    }
    bytes.addAndGet(-snapshot.bytes());
    inodes.addAndGet(-snapshot.inodes());
    Path dir = snapshots.resolve(chainId.hex());
    Path doomed = snapshots.resolve(AtomicFile.TEMP_PREFIX + "rm-" + chainId.hex());
    try {
      Files.deleteIfExists(links.resolve(snapshot.link()));
      Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
      DirectoryTree.delete(doomed);
    } catch (IOException e) {
      throw new InternalException("remove snapshot " + chainId + ": " + e, e);
    }
  }

  public long usedBytes() {
    return bytes.get();
  }

  public long usedInodes() {
    return inodes.get();
  }

  private static Snapshot await(CompletableFuture<Snapshot> running) {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("wait for snapshot: interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KonaException k) {
        throw k.withContext("shared unpack");
      }
      if (e.getCause() instanceof UncheckedIOException u) {
        throw new InternalException("shared unpack: " + u.getMessage(), u);
      }
      throw new InternalException("shared unpack: " + e.getCause(), e.getCause());
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      DirectoryTree.delete(dir);
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", dir, e.toString());
    }
  }
}
