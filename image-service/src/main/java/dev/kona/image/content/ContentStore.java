package dev.kona.image.content;

import dev.kona.common.error.InternalException;
import dev.kona.common.error.NotFoundException;
import dev.kona.common.fs.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Content-addressed blobs under {@code <root>/blobs/sha256/<hex>}.
 *
 * <p>Lifecycle: open once per image store; {@link #write} streams into {@code <root>/ingest/}, checks
 * size and digest while streaming, fsyncs and renames into place, so a blob path that exists always
 * holds verified content. A blob that already exists counts as written. Leftover ingest files (a
 * crash mid-write) are deleted when the store opens. Deleting is the garbage collector's business;
 * callers hold a lease on blobs they are about to use (see {@code store.Leases}).
 *
 * <p>Errors: a missing blob is NOT_FOUND; a size or digest mismatch is FAILED_PRECONDITION and leaves
 * nothing behind; a broken source stream is UNAVAILABLE.
 */
public final class ContentStore {

  private final Path blobs;
  private final Path ingest;
  private final AtomicLong usedBytes = new AtomicLong();
  private final AtomicLong blobCount = new AtomicLong();

  private ContentStore(Path blobs, Path ingest) {
    this.blobs = blobs;
    this.ingest = ingest;
  }

  public static ContentStore open(Path root) throws IOException {
    Path blobs = root.resolve("blobs").resolve("sha256");
    Path ingest = root.resolve("ingest");
    Files.createDirectories(blobs);
    Files.createDirectories(ingest);
    ContentStore store = new ContentStore(blobs, ingest);
    store.cleanIngests();
    store.countExisting();
    return store;
  }

  private void cleanIngests() throws IOException {
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(ingest)) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
      }
    }
  }

  private void countExisting() throws IOException {
    try (DirectoryStream<Path> all = Files.newDirectoryStream(blobs)) {
      for (Path blob : all) {
        usedBytes.addAndGet(Files.size(blob));
        blobCount.incrementAndGet();
      }
    }
  }

  public Path path(Digest digest) {
    return blobs.resolve(digest.hex());
  }

  public boolean contains(Digest digest) {
    return Files.isRegularFile(path(digest));
  }

  public long size(Digest digest) {
    try {
      return Files.size(path(digest));
    } catch (NoSuchFileException e) {
      throw new NotFoundException("stat blob " + digest + ": not in the content store", e);
    } catch (IOException e) {
      throw new InternalException("stat blob " + digest + ": " + e.getMessage(), e);
    }
  }

  public InputStream open(Digest digest) {
    try {
      return Files.newInputStream(path(digest));
    } catch (NoSuchFileException e) {
      throw new NotFoundException("open blob " + digest + ": not in the content store", e);
    } catch (IOException e) {
      throw new InternalException("open blob " + digest + ": " + e.getMessage(), e);
    }
  }

  public byte[] read(Digest digest) {
    try (InputStream in = open(digest)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new InternalException("read blob " + digest + ": " + e.getMessage(), e);
    }
  }

  /** Stores bytes already in memory (manifests, configs) after checking them against {@code expected}. */
  public void write(Descriptor expected, byte[] content) {
    write(expected, new java.io.ByteArrayInputStream(content), n -> {});
  }

  /**
   * Streams {@code source} into the store, verifying {@code expected}'s size and digest on the way.
   * {@code progress} receives the byte count of each chunk written.
   */
  public void write(Descriptor expected, InputStream source, LongConsumer progress) {
    write(expected, source, progress, in -> {});
  }

  /** Reads a blob's bytes as they arrive (layer unpacking while the download streams). */
  @FunctionalInterface
  public interface StreamConsumer {
    void accept(InputStream bytes) throws IOException;
  }

  /**
   * Like {@link #write(Descriptor, InputStream, LongConsumer)}, and hands the bytes to {@code
   * consumer} as they arrive; what it leaves unread is drained. The blob is stored only when the
   * consumer succeeded and size and digest match. A consumer that fails on corrupt bytes (a
   * decompressor, typically) is reported as the digest mismatch it really is. Returns whether the
   * consumer read the blob (false: it was in the store already and nothing was read).
   */
  public boolean write(Descriptor expected, InputStream source, LongConsumer progress, StreamConsumer consumer) {
    Digest digest = expected.digest();
    if (contains(digest)) {
      return false;
    }
    Path temp = ingest.resolve(digest.hex() + "." + UUID.randomUUID());
    VerifyingTee tee = null;
    try {
      tee = new VerifyingTee(expected, source, temp, progress);
      try {
        consumer.accept(tee);
      } catch (IOException | RuntimeException e) {
        throw tee.rootCause(e);
      }
      tee.drain();
      tee.verify();
      tee.closeFile();
      try {
        Files.move(temp, path(digest), StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        return true;
      }
      AtomicFile.fsyncDirectory(blobs);
      usedBytes.addAndGet(expected.size());
      blobCount.incrementAndGet();
      return true;
    } catch (IOException e) {
      if (DiskFull.is(e)) {
        throw DiskFull.error("store blob " + digest, ingest, e);
      }
      throw new InternalException("store blob " + digest + ": " + e, e);
    } finally {
      closeQuietly(tee);
      deleteQuietly(temp);
    }
  }

  /** Removes a blob; a missing one counts as removed. */
  public void delete(Digest digest) {
    Path blob = path(digest);
    try {
      long size = Files.size(blob);
      if (Files.deleteIfExists(blob)) {
        usedBytes.addAndGet(-size);
        blobCount.decrementAndGet();
      }
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      throw new InternalException("delete blob " + digest + ": " + e.getMessage(), e);
    }
  }

  public Set<Digest> list() {
    Set<Digest> all = new HashSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(blobs)) {
      for (Path entry : entries) {
        all.add(new Digest("sha256", entry.getFileName().toString()));
      }
    } catch (IOException e) {
      throw new InternalException("list blobs in " + blobs + ": " + e.getMessage(), e);
    }
    return all;
  }

  public long usedBytes() {
    return usedBytes.get();
  }

  public long blobCount() {
    return blobCount.get();
  }

  private static void closeQuietly(VerifyingTee tee) {
    try {
      if (tee != null) {
        tee.closeFile();
      }
    } catch (IOException ignored) {
      // the ingest file is deleted next, or swept at the next open
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // ingest leftovers are swept at the next open
    }
  }
}
