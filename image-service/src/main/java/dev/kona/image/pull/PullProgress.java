package dev.kona.image.pull;

import dev.kona.common.error.DeadlineExceededException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of one pull: bytes received, when the last ones arrived, and the threads working for it,
 * so that the watchdog can interrupt them all when the pull stalls.
 */
public final class PullProgress {

  private final String image;
  private final long startNanos = System.nanoTime();
  private final AtomicLong bytes = new AtomicLong();
  /** Bytes this pull downloads in all: the blobs it found missing. */
  private final AtomicLong total = new AtomicLong();
  private final dev.kona.image.ImageMetrics metrics;
  private final java.util.concurrent.atomic.AtomicInteger layersDone = new java.util.concurrent.atomic.AtomicInteger();
  private volatile int layersTotal;
  private volatile long lastReportNanos = startNanos;
  private final AtomicLong layerNanos = new AtomicLong();
  private final AtomicLong lastProgressNanos = new AtomicLong(System.nanoTime());
  private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
  private volatile String stalledMessage;
  /** The blobs being received now, in the order they started, each with what it is ("layer", "config"). */
  private final java.util.Map<String, String> receiving = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

  public PullProgress(String image) {
    this(image, null);
  }

  /** Progress that also moves {@code metrics}' in-flight byte gauges (null: none). */
  public PullProgress(String image, dev.kona.image.ImageMetrics metrics) {
    this.image = image;
    this.metrics = metrics;
  }

  /** The pull found {@code count} more bytes to download (a blob missing from the store). */
  public void expect(long count) {
    total.addAndGet(count);
    if (metrics != null) {
      metrics.pullExpects(count);
    }
  }

  public long total() {
    return total.get();
  }

  /** Takes this pull's bytes off the in-flight gauges; once, when the pull ends. */
  public void ended() {
    if (metrics != null) {
      metrics.pullEnded(total.get(), bytes.get());
    }
  }

  public String image() {
    return image;
  }

  public void advance(long count) {
    bytes.addAndGet(count);
    if (metrics != null) {
      metrics.pullReceived(count);
    }
    lastProgressNanos.set(System.nanoTime());
  }

  /** Counts as progress without bytes (a layer finished unpacking, a manifest arrived). */
  public void touch() {
    lastProgressNanos.set(System.nanoTime());
  }

  /** A blob (named by its digest) starts coming in; {@code what} says what it is, for messages. */
  public void receiving(String digest, String what) {
    receiving.put(digest, what);
  }

  public void received(String digest) {
    receiving.remove(digest);
  }

  /** "layer sha256:…, layer sha256:…": the blobs under way, or an empty string. */
  String receivingNow() {
    synchronized (receiving) {
      return receiving.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", "));
    }
  }

  public long bytes() {
    return bytes.get();
  }

  /** Adds the time one layer took to download and unpack (they overlap: the layer streams in). */
  public void spent(long nanos) {
    layerNanos.addAndGet(nanos);
  }

  /** Layer time summed over layers (exceeds wall time when layers run in parallel), for the log. */
  public String breakdown() {
    return "layers busy " + layerNanos.get() / 1_000_000 + " ms in total";
  }

  public void layers(int total) {
    layersTotal = total;
  }

  public void layerDone() {
    layersDone.incrementAndGet();
    touch();
  }

  /** A one-line summary for the progress log, or null when the last one is younger than {@code every}. */
  String reportIfDue(long now, long everyNanos) {
    if (now - lastReportNanos < everyNanos) {
      return null;
    }
    lastReportNanos = now;
    return String.format(
        java.util.Locale.ROOT,
        "pull %s under way for %d s: %.1f of %.1f MB received, %d/%d layers unpacked",
        image, (now - startNanos) / 1_000_000_000L, bytes.get() / 1e6, total.get() / 1e6, layersDone.get(), layersTotal);
  }

  long idleNanos(long now) {
    return now - lastProgressNanos.get();
  }

  public void enter() {
    workers.add(Thread.currentThread());
  }

  public void leave() {
    workers.remove(Thread.currentThread());
  }

  void stall(String message) {
    stalledMessage = message;
    workers.forEach(Thread::interrupt);
  }

  /** Throws the pull's DEADLINE_EXCEEDED if the watchdog cancelled it; otherwise does nothing. */
  public void throwIfStalled() {
    String message = stalledMessage;
    if (message != null) {
      throw new DeadlineExceededException(message);
    }
  }

  public boolean stalled() {
    return stalledMessage != null;
  }
}
