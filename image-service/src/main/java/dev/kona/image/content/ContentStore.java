package dev.kona.image.content;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.NotFoundException;
import dev.kona.common.error.UnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
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
    Digest digest = expected.digest();
    if (contains(digest)) {
      return;
    }
    Path temp = ingest.resolve(digest.hex() + "." + UUID.randomUUID());
    long[] received = new long[1];
    try {
      long written = copyVerified(expected, source, temp, n -> {
        received[0] += n;
        progress.accept(n);
      });
      try {
        Files.move(temp, path(digest), StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        Files.deleteIfExists(temp);
        return;
      }
      fsyncDirectory(blobs);
      usedBytes.addAndGet(written);
      blobCount.incrementAndGet();
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new UnavailableException(
          "receive blob " + digest + ": stream broke after " + received[0] + " of " + expected.size() + " bytes ("
              + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
          e);
    } catch (RuntimeException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  private static long copyVerified(Descriptor expected, InputStream source, Path temp, LongConsumer progress)
      throws IOException {
    MessageDigest digester = expected.digest().newDigester();
    long written = 0;
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buffer = new byte[128 * 1024];
      int n;
      while ((n = source.read(buffer)) > 0) {
        written += n;
        if (written > expected.size()) {
          throw new FailedPreconditionException(
              "verify blob " + expected.digest() + ": size mismatch, expected " + expected.size()
                  + " bytes, got more than that");
        }
        digester.update(buffer, 0, n);
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
        progress.accept(n);
      }
      if (written != expected.size()) {
        throw new FailedPreconditionException(
            "verify blob " + expected.digest() + ": size mismatch, expected " + expected.size()
                + " bytes, got " + written + " (truncated)");
      }
      Digest actual = new Digest(expected.digest().algorithm(), java.util.HexFormat.of().formatHex(digester.digest()));
      if (!actual.equals(expected.digest())) {
        throw new FailedPreconditionException(
            "verify blob " + expected.digest() + ": digest mismatch, got " + actual);
      }
      out.force(true);
    }
    return written;
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

  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
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
