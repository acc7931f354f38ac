package dev.kona.image.pull;

import dev.kona.common.error.DeadlineExceededException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.UnavailableException;
import dev.kona.image.ImageMetrics;
import dev.kona.image.content.ContentStore;
import dev.kona.image.content.Descriptor;
import dev.kona.image.content.Digest;
import dev.kona.image.content.DiskFull;
import dev.kona.image.content.Platform;
import dev.kona.image.manifest.ImageRunConfig;
import dev.kona.image.manifest.Manifest;
import dev.kona.image.manifest.ManifestReader;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.registry.BlobPuller;
import dev.kona.image.registry.Credentials;
import dev.kona.image.registry.RegistryHosts;
import dev.kona.image.registry.RegistrySession;
import dev.kona.image.snapshot.ChainIds;
import dev.kona.image.snapshot.Snapshot;
import dev.kona.image.snapshot.SnapshotStore;
import dev.kona.image.store.ImageRecord;
import dev.kona.image.store.ImageStore;
import dev.kona.image.store.Leases;
import dev.kona.image.unpack.LayerApplier;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls one image: resolve the manifest, fetch the config, download the missing layers in parallel
 * (bounded), unpack each into its snapshot in layer order as soon as it and the ones below it are
 * there, and only then write the image record. Everything the pull gathers is held by a lease until
 * the record exists, so garbage collection cannot take it away; a failed pull leaves only verified
 * blobs and complete snapshots, which the next pull reuses.
 */
public final class ImagePuller {

  private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);

  private final HttpClient http;
  private final RegistryHosts hosts;
  private final ContentStore content;
  private final SnapshotStore snapshots;
  private final ImageStore images;
  private final Leases leases;
  private final SharedDownloads downloads;
  private final ProgressWatchdog watchdog;
  private final ImageMetrics metrics;
  private final Platform platform;
  private final int maxConcurrentDownloads;
  private final Set<String> pinned;

  public ImagePuller(
      HttpClient http,
      RegistryHosts hosts,
      ContentStore content,
      SnapshotStore snapshots,
      ImageStore images,
      Leases leases,
      ProgressWatchdog watchdog,
      ImageMetrics metrics,
      Platform platform,
      int maxConcurrentDownloads,
      Set<String> pinned) {
    this.http = http;
    this.hosts = hosts;
    this.content = content;
    this.snapshots = snapshots;
    this.images = images;
    this.leases = leases;
    this.downloads = new SharedDownloads(content, metrics::downloaded);
    this.watchdog = watchdog;
    this.metrics = metrics;
    this.platform = platform;
    this.maxConcurrentDownloads = maxConcurrentDownloads;
    this.pinned = Set.copyOf(pinned);
  }

  public ImageRecord pull(ImageReference ref, Credentials credentials) {
    PullProgress progress = new PullProgress(ref.toString(), metrics);
    long start = System.nanoTime();
    metrics.started();
    watchdog.watch(progress);
    progress.enter();
    try (Leases.Lease lease = leases.acquire()) {
      ImageRecord record = pullHeld(ref, credentials, progress, lease);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      metrics.succeeded(took);
      LOG.info(
          "pulled {} as {} ({} bytes downloaded, {} ms; {})",
          ref, record.id(), progress.bytes(), took.toMillis(), progress.breakdown());
      return record;
    } catch (RuntimeException e) {
      KonaException failure = failure(ref, progress, e, snapshots.root());
      metrics.failed(failure.kind());
      throw failure;
    } finally {
      progress.ended();
      progress.leave();
      watchdog.unwatch(progress);
      Thread.interrupted(); // a late watchdog interrupt must not leak into the caller's thread
    }
  }

  private static KonaException failure(ImageReference ref, PullProgress progress, RuntimeException e, Path root) {
    if (progress.stalled()) {
      try {
        progress.throwIfStalled();
      } catch (DeadlineExceededException stalled) {
        stalled.addSuppressed(e);
        return stalled;
      }
    }
    if (e instanceof KonaException k) {
      return k.withContext("pull " + ref);
    }
    if (DiskFull.is(e)) {
      return DiskFull.error("pull " + ref, root, e);
    }
    return new InternalException("pull " + ref + ": " + e, e);
  }

  private ImageRecord pullHeld(ImageReference ref, Credentials credentials, PullProgress progress, Leases.Lease lease) {
    ResolvedImage resolved = ManifestResolver.resolve(
        http, hosts.endpoints(ref.registry(), credentials, ref.digest().isPresent()), ref, platform, progress);
    RegistrySession session = resolved.session();
    List<Digest> blobs = new ArrayList<>();
    for (var fetched : resolved.index().isPresent() ? List.of(resolved.top(), resolved.manifest()) : List.of(resolved.top())) {
      lease.hold(fetched.descriptor().digest());
      content.write(fetched.descriptor(), fetched.bytes());
      blobs.add(fetched.descriptor().digest());
    }
    Manifest.Image image = resolved.image();
    Descriptor config = image.config();
    lease.hold(config.digest());
    if (!content.contains(config.digest())) {
      progress.expect(config.size());
    }
    progress.receiving(config.digest().toString(), "config");
    try {
      downloads.fetch(config, () -> BlobPuller.open(session, config), progress::advance);
    } finally {
      progress.received(config.digest().toString());
    }
    blobs.add(config.digest());
    ImageRunConfig runConfig = ManifestReader.parseConfig(content.read(config.digest()));
    List<Descriptor> layers = image.layers();
    if (runConfig.diffIds().size() != layers.size()) {
      throw new FailedPreconditionException(
          "check image " + config.digest() + ": manifest lists " + layers.size() + " layers, config lists "
              + runConfig.diffIds().size() + " diff IDs");
    }
    List<Digest> chainIds = ChainIds.of(runConfig.diffIds());
    progress.layers(layers.size());
    for (int i = 0; i < layers.size(); i++) {
      lease.hold(chainIds.get(i));
      lease.hold(layers.get(i).digest());
      blobs.add(layers.get(i).digest());
      if (!content.contains(layers.get(i).digest()) && snapshots.get(chainIds.get(i)).isEmpty()) {
        progress.expect(layers.get(i).size());
      }
    }
    unpackAll(session, layers, runConfig.diffIds(), chainIds, progress);
    long size = resolved.manifest().bytes().length + config.size();
    for (Descriptor layer : layers) {
      size += layer.size();
    }
    List<String> tags = ref.repoTag().map(List::of).orElse(List.of());
    List<String> repoDigests = List.of(ref.repoDigest(resolved.top().descriptor().digest()));
    boolean pin = tags.stream().anyMatch(pinned::contains) || pinned.contains(ref.toString());
    ImageRecord record =
        new ImageRecord(
            config.digest(),
            resolved.top().descriptor().digest(),
            tags,
            repoDigests,
            size,
            runConfig.user(),
            pin,
            image.annotations(),
            blobs,
            chainIds,
            Instant.now());
    return images.put(record);
  }

  /**
   * Downloads and unpacks every layer. A layer not yet stored unpacks while it streams in (at most
   * {@code maxConcurrentDownloads} at once); a stored one unpacks from the store (at most one per
   * core). Snapshots are separate directories, so layers unpack in parallel; only a hard link into a
   * lower layer makes a layer wait for the ones below it.
   */
  private void unpackAll(
      RegistrySession session, List<Descriptor> layers, List<Digest> diffIds, List<Digest> chainIds, PullProgress progress) {
    Semaphore downloadPermits = new Semaphore(maxConcurrentDownloads);
    Semaphore unpackPermits = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));
    List<CompletableFuture<Snapshot>> committed = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      try {
        for (int i = 0; i < layers.size(); i++) {
          Optional<Snapshot> present = snapshots.get(chainIds.get(i));
          if (present.isPresent()) {
            committed.add(CompletableFuture.completedFuture(present.get()));
            continue;
          }
          LayerJob job =
              new LayerJob(session, layers.get(i), diffIds.get(i), chainIds.get(i), List.copyOf(committed), progress);
          Semaphore permits = content.contains(job.layer().digest()) ? unpackPermits : downloadPermits;
          committed.add(CompletableFuture.supplyAsync(() -> layer(job, permits), pool));
        }
        for (CompletableFuture<Snapshot> layer : committed) {
          join(layer);
        }
      } finally {
        pool.shutdownNow(); // on failure, stop the downloads and unpacks still running
      }
    }
  }

  /** One layer to bring into its snapshot; {@code below} are the futures of the layers under it. */
  private record LayerJob(
      RegistrySession session,
      Descriptor layer,
      Digest diffId,
      Digest chainId,
      List<CompletableFuture<Snapshot>> below,
      PullProgress progress) {}

  private Snapshot layer(LayerJob job, Semaphore permits) {
    job.progress().enter();
    try {
      acquire(permits, job.layer());
      long start = System.nanoTime();
      job.progress().receiving(job.layer().digest().toString(), "layer");
      try {
        // waiting for lower layers gives the permit back, so they can never starve behind this one
        Supplier<List<Path>> lowers =
            () -> {
              permits.release();
              try {
                return job.below().reversed().stream().map(f -> join(f).dir()).toList();
              } finally {
                acquire(permits, job.layer());
              }
            };
        Snapshot snapshot = snapshots.commit(job.chainId(), dir -> fill(job, dir, lowers));
        job.progress().layerDone();
        job.progress().spent(System.nanoTime() - start);
        metrics.layerDone();
        return snapshot;
      } finally {
        job.progress().received(job.layer().digest().toString());
        permits.release();
      }
    } finally {
      job.progress().leave();
    }
  }

  /** Unpacks while the blob streams in when this pull downloads it, else from the store. */
  private long[] fill(LayerJob job, Path dir, Supplier<List<Path>> lowers) throws IOException {
    long[][] usage = new long[1][];
    boolean streamed =
        downloads.fetch(
            job.layer(),
            () -> BlobPuller.open(job.session(), job.layer()),
            job.progress()::advance,
            in -> usage[0] = LayerApplier.apply(in, job.layer(), job.diffId(), dir, lowers));
    if (!streamed) {
      try (InputStream blob = content.open(job.layer().digest())) {
        usage[0] = LayerApplier.apply(blob, job.layer(), job.diffId(), dir, lowers);
      }
    }
    return usage[0];
  }

  private static void acquire(Semaphore permits, Descriptor layer) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("wait to fetch layer " + layer.digest() + ": interrupted", e);
    }
  }

  /** Waits for a future, rethrowing its failure as the family error it was. */
  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("wait for layer: interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof KonaException k) {
        throw k;
      }
      if (cause instanceof IOException io) {
        throw new UnavailableException("layer: " + io, io);
      }
      throw new InternalException("layer: " + cause, cause);
    }
  }
}
