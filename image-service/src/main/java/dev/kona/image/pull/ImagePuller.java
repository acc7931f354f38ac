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
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
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
    PullProgress progress = new PullProgress(ref.toString());
    long start = System.nanoTime();
    metrics.started();
    watchdog.watch(progress);
    progress.enter();
    try (Leases.Lease lease = leases.acquire()) {
      ImageRecord record = pullHeld(ref, credentials, progress, lease);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      metrics.succeeded(took);
      LOG.info("pulled {} as {} ({} bytes downloaded in {} ms)", ref, record.id(), progress.bytes(), took.toMillis());
      return record;
    } catch (RuntimeException e) {
      KonaException failure = failure(ref, progress, e);
      metrics.failed(failure.kind());
      throw failure;
    } finally {
      progress.leave();
      watchdog.unwatch(progress);
      Thread.interrupted(); // a late watchdog interrupt must not leak into the caller's thread
    }
  }

  private static KonaException failure(ImageReference ref, PullProgress progress, RuntimeException e) {
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
    return new InternalException("pull " + ref + ": " + e, e);
  }

  private ImageRecord pullHeld(ImageReference ref, Credentials credentials, PullProgress progress, Leases.Lease lease) {
    ResolvedImage resolved = ManifestResolver.resolve(http, hosts.endpoints(ref.registry(), credentials), ref, platform, progress);
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
    downloads.fetch(config, () -> BlobPuller.open(session, config), progress::advance);
    blobs.add(config.digest());
    ImageRunConfig runConfig = ManifestReader.parseConfig(content.read(config.digest()));
    List<Descriptor> layers = image.layers();
    if (runConfig.diffIds().size() != layers.size()) {
      throw new FailedPreconditionException(
          "check image " + config.digest() + ": manifest lists " + layers.size() + " layers, config lists "
              + runConfig.diffIds().size() + " diff IDs");
    }
    List<Digest> chainIds = ChainIds.of(runConfig.diffIds());
    for (int i = 0; i < layers.size(); i++) {
      lease.hold(chainIds.get(i));
      lease.hold(layers.get(i).digest());
      blobs.add(layers.get(i).digest());
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

  private void unpackAll(
      RegistrySession session, List<Descriptor> layers, List<Digest> diffIds, List<Digest> chainIds, PullProgress progress) {
    Semaphore permits = new Semaphore(maxConcurrentDownloads);
    List<Future<?>> fetched = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < layers.size(); i++) {
        Descriptor layer = layers.get(i);
        if (snapshots.get(chainIds.get(i)).isPresent() || content.contains(layer.digest())) {
          fetched.add(CompletableFuture.completedFuture(null));
          continue;
        }
        fetched.add(pool.submit(() -> download(session, layer, permits, progress)));
      }
      try {
        List<Path> lowers = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
          Optional<Snapshot> present = snapshots.get(chainIds.get(i));
          Snapshot snapshot = present.isPresent() ? present.get() : unpack(layers.get(i), diffIds.get(i), chainIds.get(i), fetched.get(i), lowers, progress);
          lowers.addFirst(snapshot.dir());
        }
      } finally {
        pool.shutdownNow(); // on failure, stop the downloads still running
      }
    }
  }

  private Void download(RegistrySession session, Descriptor layer, Semaphore permits, PullProgress progress)
      throws InterruptedException {
    permits.acquire();
    progress.enter();
    try {
      downloads.fetch(layer, () -> BlobPuller.open(session, layer), progress::advance);
      return null;
    } finally {
      progress.leave();
      permits.release();
    }
  }

  private Snapshot unpack(
      Descriptor layer, Digest diffId, Digest chainId, Future<?> download, List<Path> lowers, PullProgress progress) {
    await(download, layer);
    List<Path> below = List.copyOf(lowers);
    Snapshot snapshot =
        snapshots.commit(
            chainId,
            dir -> {
              try (InputStream blob = content.open(layer.digest())) {
                return LayerApplier.apply(blob, layer, diffId, dir, below);
              }
            });
    progress.touch();
    metrics.layerDone();
    return snapshot;
  }

  private static void await(Future<?> download, Descriptor layer) {
    try {
      download.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("wait for layer " + layer.digest() + ": interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KonaException k) {
        throw k;
      }
      if (e.getCause() instanceof IOException io) {
        throw new UnavailableException("download layer " + layer.digest() + ": " + io, io);
      }
      throw new InternalException("download layer " + layer.digest() + ": " + e.getCause(), e.getCause());
    }
  }
}
