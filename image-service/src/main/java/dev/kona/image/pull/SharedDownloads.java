package dev.kona.image.pull;

import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.UnavailableException;
import dev.kona.image.content.ContentStore;
import dev.kona.image.content.Descriptor;
import dev.kona.image.content.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Blob downloads in flight, shared between pulls: the first pull that needs a blob downloads it, a
 * concurrent pull of the same blob waits for that download (and sees its progress) instead of
 * fetching again. A blob already in the content store is never fetched.
 */
public final class SharedDownloads {

  private final ContentStore content;
  private final LongConsumer downloadedBytes;
  private final Map<Digest, Download> inFlight = new ConcurrentHashMap<>();

  /** {@code downloadedBytes} counts each byte fetched once, however many pulls wait for it. */
  public SharedDownloads(ContentStore content, LongConsumer downloadedBytes) {
    this.content = content;
    this.downloadedBytes = downloadedBytes;
  }

  private static final class Download {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  }

  /**
   * Makes sure {@code blob} is in the content store, downloading it from {@code source} unless
   * another pull already does. {@code progress} receives byte counts either way. Blocks until done.
   */
  public void fetch(Descriptor blob, Supplier<InputStream> source, LongConsumer progress) {
    fetch(blob, source, progress, in -> {});
  }

  /**
   * Like {@link #fetch(Descriptor, Supplier, LongConsumer)}; when this call is the one downloading,
   * {@code consumer} reads the bytes as they arrive. Returns whether it did; false means the blob
   * was in the store already or came from another pull's download, so read it from the store.
   */
  public boolean fetch(
      Descriptor blob, Supplier<InputStream> source, LongConsumer progress, ContentStore.StreamConsumer consumer) {
    if (content.contains(blob.digest())) {
      return false;
    }
    Download mine = new Download();
    mine.listeners.add(progress);
    Download running = inFlight.putIfAbsent(blob.digest(), mine);
    if (running != null) {
      running.listeners.add(progress);
      await(running.done, blob);
      return false;
    }
    try {
      boolean streamed = false;
      if (!content.contains(blob.digest())) {
        try (InputStream in = source.get()) {
          streamed =
              content.write(
                  blob,
                  in,
                  n -> {
                    downloadedBytes.accept(n);
                    mine.listeners.forEach(l -> l.accept(n));
                  },
                  consumer);
        } catch (IOException e) {
          throw new UnavailableException("download blob " + blob.digest() + ": " + e.getMessage(), e);
        }
      }
      mine.done.complete(null);
      return streamed;
    } catch (RuntimeException e) {
      mine.done.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(blob.digest(), mine);
    }
  }

  private static void await(CompletableFuture<Void> done, Descriptor blob) {
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("wait for shared download of " + blob.digest() + ": interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KonaException k) {
        throw k.withContext("shared download");
      }
      throw new InternalException("shared download of " + blob.digest() + ": " + e.getCause(), e.getCause());
    }
  }
}
