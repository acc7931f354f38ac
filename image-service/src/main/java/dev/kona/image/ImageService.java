package dev.kona.image;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.NotFoundException;
import dev.kona.image.content.ContentStore;
import dev.kona.image.content.Digest;
import dev.kona.image.content.FileTrees;
import dev.kona.image.content.Platform;
import dev.kona.image.manifest.ImageRunConfig;
import dev.kona.image.manifest.ManifestReader;
import dev.kona.image.pull.ImagePuller;
import dev.kona.image.pull.ProgressWatchdog;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.registry.Credentials;
import dev.kona.image.registry.HostsDirectory;
import dev.kona.image.registry.RegistryHosts;
import dev.kona.image.registry.TrustStores;
import dev.kona.image.snapshot.ContainerRootfs;
import dev.kona.image.snapshot.RootfsPlan;
import dev.kona.image.snapshot.SnapshotStore;
import dev.kona.image.snapshot.WritableLayerUsage;
import dev.kona.image.store.GarbageCollector;
import dev.kona.image.store.ImageRecord;
import dev.kona.image.store.ImageStore;
import dev.kona.image.store.Leases;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The image engine below the CRI edge, and the API the runtime service uses: pull, look up, remove,
 * the container rootfs plan and its release, and usage figures. No protobuf here.
 *
 * <p>Lifecycle: {@link #open} once (it sweeps what a crash left and collects garbage), {@link #close}
 * at shutdown. Thread-safe.
 */
public final class ImageService implements AutoCloseable {

  private final Path root;
  private final Optional<Path> containersRoot;
  private final ContentStore content;
  private final SnapshotStore snapshots;
  private final ImageStore images;
  private final ContainerRootfs containers;
  private final GarbageCollector gc;
  private final ImagePuller puller;
  private final RegistryHosts hosts;
  private final ProgressWatchdog watchdog;
  private final WritableLayerUsage writableUsage;
  private final HttpClient http;

  private ImageService(Path root, Optional<Path> containersRoot, ImageConfig config, ImageMetrics metrics)
      throws IOException {
    this.root = root;
    this.containersRoot = containersRoot;
    Files.createDirectories(root);
    this.content = ContentStore.open(root);
    this.snapshots = SnapshotStore.open(root);
    this.images = ImageStore.open(root);
    Path layers = containersRoot.map(r -> r.resolve(SPLIT_LAYERS_DIR)).orElse(root.resolve("containers"));
    requireLayersWhereTheyWere(root, layers);
    this.containers = ContainerRootfs.open(root, layers, snapshots);
    Leases leases = new Leases();
    this.gc = new GarbageCollector(images, content, snapshots, containers, leases);
    this.watchdog = new ProgressWatchdog(Duration.ofSeconds(config.progressTimeoutSeconds()));
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(30))
            .sslContext(
                TrustStores.sslContext(caFilesByHost(config)))
            .build();
    Set<String> pinned =
        config.pinnedImages().stream().map(p -> ImageReference.parse(p).toString()).collect(Collectors.toSet());
    Platform platform = config.platform().isEmpty() ? Platform.host() : Platform.parse(config.platform());
    this.hosts = new RegistryHosts(config.registries(), new HostsDirectory(config.hostsDirectory()));
    this.puller =
        new ImagePuller(
            http,
            hosts,
            content,
            snapshots,
            images,
            leases,
            watchdog,
            metrics,
            platform,
            config.maxConcurrentDownloads(),
            pinned);
    this.writableUsage = new WritableLayerUsage(containers.containersDir(), Duration.ofSeconds(10));
    gc.collect();
  }

  /** Each registry's {@code ca_file}, for its own host only (Docker Hub's is served by registry-1.docker.io). */
  private static Map<String, List<Path>> caFilesByHost(ImageConfig config) {
    Map<String, List<Path>> byHost = new java.util.HashMap<>();
    config.registries().forEach((host, registry) -> {
      if (registry.caFile() != null && !registry.caFile().isEmpty()) {
        byHost.put(host, List.of(Path.of(registry.caFile())));
        if (host.equals(ImageReference.DOCKER_HUB)) {
          byHost.put("registry-1.docker.io", List.of(Path.of(registry.caFile())));
        }
      }
    });
    return byHost;
  }

  /** Opens the store at {@code root} (the daemon passes {@code <state_root>/images}). */
  public static ImageService open(ImageConfig config, Path root, ImageMetrics metrics) {
    return open(config, root, Optional.empty(), metrics);
  }

  /**
   * Opens the store at {@code root}, with the containers' writable layers under {@code
   * <containersRoot>/layers} when present (a split image filesystem, KEP-4191), else under {@code
   * <root>/containers}. FailedPrecondition when layers of existing containers are in the other place
   * (the setting changed while containers existed): they would be lost to their containers.
   */
  public static ImageService open(ImageConfig config, Path root, Optional<Path> containersRoot, ImageMetrics metrics) {
    try {
      return new ImageService(root, containersRoot, config, metrics);
    } catch (IOException e) {
      throw new InternalException("open image store " + root + ": " + e, e);
    }
  }

  /** The directory of the writable layers under a separate containers root. */
  static final String SPLIT_LAYERS_DIR = "layers";
  /** Names the writable layers' directory in force, so that a change of it is noticed. */
  private static final String LAYERS_MARKER = "containers-root";

  private static void requireLayersWhereTheyWere(Path root, Path layers) throws IOException {
    Path marker = root.resolve(LAYERS_MARKER);
    Path before = Files.isRegularFile(marker)
        ? Path.of(Files.readString(marker).strip()) : root.resolve("containers");
    if (!before.equals(layers) && Files.isDirectory(before)) {
      List<String> left;
      try (var dirs = Files.list(before)) {
        left = dirs.map(d -> d.getFileName().toString()).sorted().toList();
      }
      if (!left.isEmpty()) {
        throw new FailedPreconditionException("open image store " + root + ": the writable layers of "
            + left.size() + " container(s) (" + String.join(", ", left.subList(0, Math.min(3, left.size())))
            + (left.size() > 3 ? ", ..." : "") + ") are in " + before + ", but containers_root puts them in "
            + layers + "; set containers_root back, or remove those containers first");
      }
    }
    if (!Files.isRegularFile(marker) || !before.equals(layers)) {
      dev.kona.common.fs.AtomicFile.write(marker, (layers + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  public Path root() {
    return root;
  }

  /** The containers' own root when their layers are kept apart from the images; empty otherwise. */
  public Optional<Path> containersRoot() {
    return containersRoot;
  }

  /**
   * The filesystem id (mountpoint) of the containers' writable layers, as ImageFsInfo and the
   * container stats report it: the containers root when split, else the image store's root.
   */
  public Path containerFsMountpoint() {
    return containersRoot.orElse(root);
  }

  /** Pulls {@code ref} (normalised) and returns the stored image. */
  /**
   * Applies new {@code images.registries} tables and {@code config_path} to the next pulls
   * (SIGHUP). A changed {@code ca_file} is not: the shared TLS context is made at start.
   */
  public void reloadRegistries(ImageConfig config) {
    hosts.replace(config.registries(), new HostsDirectory(config.hostsDirectory()));
  }

  public ImageRecord pull(ImageReference ref, Credentials credentials) {
    return puller.pull(ref, credentials);
  }

  public List<ImageRecord> list() {
    return images.list();
  }

  /** By id ({@code sha256:<hex>} or hex), repo tag or repo digest; empty when unknown. */
  public Optional<ImageRecord> find(String image) {
    return images.resolve(image);
  }

  public ImageRecord require(String image) {
    return find(image).orElseThrow(() -> new NotFoundException("find image " + image + ": not in the image store"));
  }

  /** The image's configuration JSON as stored (what {@code ImageStatus} verbose shows). */
  public byte[] configJson(ImageRecord image) {
    return content.read(image.id());
  }

  /** The parts of the image config a container runs with (user, env, command, ...). */
  public ImageRunConfig runConfig(ImageRecord image) {
    return ManifestReader.parseConfig(configJson(image));
  }

  /**
   * Removes an image. By repo tag: only that tag goes, and the image with it once it has no tag left.
   * By id or repo digest: the image goes with all its names. Unknown images count as removed. Blobs
   * and snapshots go when nothing references them; a container's layers stay until it is released.
   * An image that a container mounts as a volume is not removed (FailedPrecondition naming the
   * containers) until the last of them is released; dropping one of its several tags is allowed.
   */
  public void remove(String image) {
    synchronized (gc) {
      Optional<ImageRecord> found = images.resolve(image);
      if (found.isEmpty()) {
        return;
      }
      ImageRecord record = found.get();
      Optional<String> tag = tagNamed(image);
      if (tag.isPresent() && record.repoTags().contains(tag.get()) && record.repoTags().size() > 1) {
        List<String> tags = new ArrayList<>(record.repoTags());
        tags.remove(tag.get());
        images.rename(record.id(), tags, record.repoDigests());
        return;
      }
      Set<String> mounting = containers.containersMounting(record.id());
      if (!mounting.isEmpty()) {
        throw new FailedPreconditionException("remove image " + image + " (" + record.id() + "): it is mounted as an"
            + " image volume by container " + String.join(", ", mounting) + "; remove the container first");
      }
      images.remove(record.id());
    }
    gc.collect();
  }

  private static Optional<String> tagNamed(String image) {
    if (Digest.looksLikeId(image)) {
      return Optional.empty();
    }
    try {
      return ImageReference.parse(image).repoTag();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Creates the container's writable layer on top of the image and returns the overlay plan; the
   * runtime mounts it (see {@link RootfsPlan} for relative options). Call {@link #releaseRootfs}
   * when the container is removed, after unmounting.
   */
  public RootfsPlan prepareRootfs(String containerId, String image) {
    synchronized (gc) {
      ImageRecord record = require(image);
      RootfsPlan plan = containers.prepare(containerId, record.id(), record.chainIds());
      writableUsage.invalidate();
      return plan;
    }
  }

  /**
   * The read-only plan of {@code image} mounted as a volume of the container (KEP-4639): its layers
   * stacked, no writable layer. The image is held (RemoveImage refuses it) until {@link
   * #releaseRootfs} of the container; call {@link #prepareRootfs} first. NotFound when the image is
   * not present.
   */
  public MountedImage prepareImageMount(String containerId, String image) {
    synchronized (gc) {
      ImageRecord record = require(image);
      return new MountedImage(record, containers.prepareImageMount(containerId, record.id(), record.chainIds()));
    }
  }

  /** An image mounted as a volume: what it is, and how to mount it. */
  public record MountedImage(ImageRecord image, RootfsPlan plan) {}

  /** Deletes the container's upper and work dirs; unknown containers are fine. */
  public void releaseRootfs(String containerId) {
    containers.release(containerId);
    writableUsage.invalidate();
    gc.collect();
  }

  /** Bytes and inodes of one container's writable layer (a walk of its upper dir). */
  public Usage writableLayerUsage(String containerId) {
    try {
      long[] usage = FileTrees.usage(containers.containersDir().resolve(containerId).resolve("upper"));
      return new Usage(usage[0], usage[1]);
    } catch (IOException e) {
      throw new InternalException("measure writable layer of " + containerId + ": " + e, e);
    }
  }

  /** What the image store holds (running totals, no walk). */
  public Usage imageFsUsage() {
    return new Usage(
        content.usedBytes() + snapshots.usedBytes(), content.blobCount() + snapshots.usedInodes());
  }

  /** All containers' writable layers (walked at most every 10 s). */
  public Usage containerFsUsage() {
    long[] usage = writableUsage.get();
    return new Usage(usage[0], usage[1]);
  }

  public Path containersDir() {
    return containers.containersDir();
  }

  public int collectGarbage() {
    return gc.collect();
  }

  /** Bytes and inodes. */
  public record Usage(long bytes, long inodes) {}

  @Override
  public void close() {
    watchdog.close();
    http.close();
  }
}
