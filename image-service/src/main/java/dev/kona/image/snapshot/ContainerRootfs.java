package dev.kona.image.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.common.error.AlreadyExistsException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.NotFoundException;
import dev.kona.common.fs.AtomicFile;
import dev.kona.common.fs.DirectoryTree;
import dev.kona.image.content.Digest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers' writable layers under {@code <root>/containers/<id>/{upper,work}} (or, on a split
 * image filesystem, under a directory of their own on another filesystem) and the overlay
 * plans that stack them on their image's snapshots. {@code rootfs.json} in each container dir
 * records which snapshots it uses, so that garbage collection keeps them while the container exists
 * (also across restarts), and which images it mounts as image volumes (KEP-4639): those images are
 * held until the container's layer is released.
 */
public final class ContainerRootfs {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerRootfs.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  /** mount(2) copies at most one page of option data, terminating NUL included. */
  static final int MOUNT_DATA_LIMIT = 4095;

  @JsonIgnoreProperties(ignoreUnknown = true)
  record RootfsJson(String containerId, String imageId, List<String> chainIds, List<MountedImage> mountedImages) {
    RootfsJson {
      mountedImages = mountedImages == null ? List.of() : List.copyOf(mountedImages);
    }
  }

  /** An image a container mounts read-only as a volume, with the snapshots it stacks. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record MountedImage(String imageId, List<String> chainIds) {}

  private final Path root;
  private final Path containers;
  private final SnapshotStore snapshots;
  private final Map<String, RootfsJson> active = new ConcurrentHashMap<>();

  private ContainerRootfs(Path root, Path containers, SnapshotStore snapshots) {
    this.root = root;
    this.containers = containers;
    this.snapshots = snapshots;
  }

  public static ContainerRootfs open(Path root, SnapshotStore snapshots) throws IOException {
    return open(root, root.resolve("containers"), snapshots);
  }

  /**
   * @param containers where the writable layers live: {@code <root>/containers}, or a directory on
   *     another filesystem (overlayfs wants a layer's upper and work dirs on one filesystem, which
   *     they are, both in {@code <containers>/<id>}; the image's lower dirs may be anywhere)
   */
  public static ContainerRootfs open(Path root, Path containers, SnapshotStore snapshots) throws IOException {
    ContainerRootfs rootfs = new ContainerRootfs(root, containers, snapshots);
    Files.createDirectories(rootfs.containers);
    Files.createDirectories(root.resolve("empty"));
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(rootfs.containers)) {
      for (Path dir : dirs) {
        Path meta = dir.resolve("rootfs.json");
        if (!Files.isRegularFile(meta)) {
          LOG.info("removing incomplete container layer {}", dir);
          try {
            DirectoryTree.delete(dir);
          } catch (DirectoryTree.MountedException e) {
            LOG.warn("not removing incomplete container layer {}: {}", dir, e.getMessage());
          }
          continue;
        }
        RootfsJson json = JSON.readValue(meta.toFile(), RootfsJson.class);
        rootfs.active.put(json.containerId(), json);
      }
    }
    return rootfs;
  }

  public Path containersDir() {
    return containers;
  }

  /**
   * Creates the container's upper and work dirs and returns its mount plan. Calling it again for the
   * same container and image returns the plan of the existing layer (the runtime re-mounts after a
   * restart); a different image is ALREADY_EXISTS.
   */
  public synchronized RootfsPlan prepare(String containerId, Digest imageId, List<Digest> chainIds) {
    if (containerId == null || !CONTAINER_ID.matcher(containerId).matches()) {
      throw new InvalidArgumentException(
          "prepare rootfs: container id \"" + containerId + "\" must match " + CONTAINER_ID.pattern());
    }
    List<Snapshot> layers = new ArrayList<>();
    for (Digest chainId : chainIds) {
      layers.add(
          snapshots
              .get(chainId)
              .orElseThrow(
                  () -> new NotFoundException("prepare rootfs for " + containerId + ": snapshot " + chainId + " is missing")));
    }
    Path dir = containers.resolve(containerId);
    RootfsJson existing = active.get(containerId);
    if (existing != null && !existing.imageId().equals(imageId.toString())) {
      throw new AlreadyExistsException(
          "prepare rootfs for " + containerId + ": it already has a layer for image " + existing.imageId());
    }
    try {
      if (existing == null) {
        Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(dir.resolve("work"));
        RootfsJson json =
            new RootfsJson(containerId, imageId.toString(), chainIds.stream().map(Digest::toString).toList(), List.of());
        AtomicFile.write(dir.resolve("rootfs.json"), JSON.writeValueAsBytes(json));
        active.put(containerId, json);
      }
    } catch (IOException e) {
      throw new InternalException("prepare rootfs for " + containerId + ": " + e, e);
    }
    return plan(containerId, imageId, layers, dir);
  }

  /**
   * Records that the container mounts image {@code imageId} as a volume (so the image is held until
   * the container's layer is {@link #release released}) and returns its read-only plan: the image's
   * snapshots stacked, no upper layer, nothing copied. The container's layer must exist ({@link
   * #prepare} first); recording the same image again is a no-op.
   */
  public synchronized RootfsPlan prepareImageMount(String containerId, Digest imageId, List<Digest> chainIds) {
    RootfsJson json = active.get(containerId);
    if (json == null) {
      throw new FailedPreconditionException(
          "mount image " + imageId + " for " + containerId + ": the container has no rootfs prepared");
    }
    List<Snapshot> layers = snapshotsOf(containerId, chainIds);
    MountedImage mounted = new MountedImage(imageId.toString(), chainIds.stream().map(Digest::toString).toList());
    if (!json.mountedImages().contains(mounted)) {
      List<MountedImage> all = new ArrayList<>(json.mountedImages());
      all.add(mounted);
      RootfsJson updated = new RootfsJson(json.containerId(), json.imageId(), json.chainIds(), all);
      try {
        AtomicFile.write(containers.resolve(containerId).resolve("rootfs.json"), JSON.writeValueAsBytes(updated));
      } catch (IOException e) {
        throw new InternalException("mount image " + imageId + " for " + containerId + ": " + e, e);
      }
      active.put(containerId, updated);
    }
    return readOnlyPlan(containerId, imageId, layers);
  }

  private List<Snapshot> snapshotsOf(String containerId, List<Digest> chainIds) {
    List<Snapshot> layers = new ArrayList<>();
    for (Digest chainId : chainIds) {
      layers.add(snapshots.get(chainId).orElseThrow(() ->
          new NotFoundException("prepare mount for " + containerId + ": snapshot " + chainId + " is missing")));
    }
    return layers;
  }

  /**
   * The image's layers as one read-only overlay without an upper dir. Overlayfs wants two lower
   * dirs when there is no upper, so the shared empty dir goes at the bottom; an image without
   * layers is that empty dir, bound read-only.
   */
  private RootfsPlan readOnlyPlan(String containerId, Digest imageId, List<Snapshot> layers) {
    if (layers.isEmpty()) {
      Path empty = root.resolve("empty");
      return new RootfsPlan(containerId, imageId, List.of(new Mount("bind", empty.toString(), List.of("bind", "ro"))),
          Optional.empty(), List.of(empty), null, null);
    }
    List<String> shortLowers = new ArrayList<>();
    List<Path> lowerDirs = new ArrayList<>();
    for (Snapshot layer : layers.reversed()) {
      shortLowers.add("l/" + layer.link());
      lowerDirs.add(layer.dir());
    }
    shortLowers.add("empty");
    lowerDirs.add(root.resolve("empty"));
    String absolute = "lowerdir=" + String.join(":", shortLowers.stream().map(l -> root.resolve(l).toString()).toList());
    if (absolute.length() + ",ro".length() <= MOUNT_DATA_LIMIT) {
      return new RootfsPlan(containerId, imageId, List.of(new Mount("overlay", "overlay", List.of("ro", absolute))),
          Optional.empty(), lowerDirs, null, null);
    }
    return new RootfsPlan(containerId, imageId,
        List.of(new Mount("overlay", "overlay", List.of("ro", "lowerdir=" + String.join(":", shortLowers)))),
        Optional.of(root), lowerDirs, null, null);
  }

  /** The containers that mount image {@code imageId} as a volume. */
  public Set<String> containersMounting(Digest imageId) {
    Set<String> ids = new java.util.TreeSet<>();
    for (RootfsJson json : active.values()) {
      if (json.mountedImages().stream().anyMatch(m -> m.imageId().equals(imageId.toString()))) {
        ids.add(json.containerId());
      }
    }
    return ids;
  }

  private RootfsPlan plan(String containerId, Digest imageId, List<Snapshot> layers, Path dir) {
    List<String> shortLowers = new ArrayList<>();
    List<Path> lowerDirs = new ArrayList<>();
    for (Snapshot layer : layers.reversed()) {
      shortLowers.add("l/" + layer.link());
      lowerDirs.add(layer.dir());
    }
    if (shortLowers.isEmpty()) {
      shortLowers.add("empty");
      lowerDirs.add(root.resolve("empty"));
    }
    Path upper = dir.resolve("upper");
    Path work = dir.resolve("work");
    List<String> absolute =
        options(shortLowers.stream().map(l -> root.resolve(l).toString()).toList(), upper.toString(), work.toString());
    if (String.join(",", absolute).length() <= MOUNT_DATA_LIMIT) {
      return new RootfsPlan(
          containerId, imageId, List.of(new Mount("overlay", "overlay", absolute)), Optional.empty(), lowerDirs, upper, work);
    }
    List<String> relative =
        options(shortLowers, root.relativize(upper).toString(), root.relativize(work).toString());
    return new RootfsPlan(
        containerId, imageId, List.of(new Mount("overlay", "overlay", relative)), Optional.of(root), lowerDirs, upper, work);
  }

  private static List<String> options(List<String> lowers, String upper, String work) {
    return List.of("lowerdir=" + String.join(":", lowers), "upperdir=" + upper, "workdir=" + work);
  }

  /** Removes the container's writable layer (the runtime has unmounted it). Missing is fine. */
  public synchronized void release(String containerId) {
    if (containerId == null || !CONTAINER_ID.matcher(containerId).matches()) {
      return;
    }
    Path dir = containers.resolve(containerId);
    try {
      // the record goes first: a crash mid-delete leaves an incomplete dir that the next open sweeps
      Files.deleteIfExists(dir.resolve("rootfs.json"));
      active.remove(containerId);
      DirectoryTree.delete(dir);
    } catch (IOException e) {
      throw new InternalException("release rootfs of " + containerId + ": " + e, e);
    }
  }

  public Set<String> containerIds() {
    return Set.copyOf(active.keySet());
  }

  /** Image ids with at least one container layer. */
  public Set<Digest> imagesInUse() {
    Set<Digest> used = new HashSet<>();
    for (RootfsJson json : active.values()) {
      used.add(Digest.parse(json.imageId()));
      json.mountedImages().forEach(m -> used.add(Digest.parse(m.imageId())));
    }
    return used;
  }

  /** Every snapshot some container stacks on. */
  public Set<Digest> chainsInUse() {
    Set<Digest> used = new HashSet<>();
    for (RootfsJson json : active.values()) {
      json.chainIds().forEach(c -> used.add(Digest.parse(c)));
      json.mountedImages().forEach(m -> m.chainIds().forEach(c -> used.add(Digest.parse(c))));
    }
    return used;
  }
}
