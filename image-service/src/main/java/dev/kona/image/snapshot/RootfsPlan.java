package dev.kona.image.snapshot;

import dev.kona.image.content.Digest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to mount a container's root filesystem: one overlay mount whose lowerdirs are the image's
 * snapshots (read-only, shared by every container of the image) and whose upper and work dirs
 * belong to this container alone.
 *
 * <p>When {@code mountDirectory} is present, the paths in the options are relative to it (the
 * absolute form would pass the kernel's one-page limit on mount data): the mounter must resolve them
 * from there, by mounting from a single-threaded child that chdir'd into it, or with the new mount
 * API ({@code fsopen("overlay")} and one {@code fsconfig(lowerdir+)} per layer, which have no such
 * limit). Without it the options are absolute and plain {@code mount(2)} works.
 *
 * <p>An image mounted as a volume has a read-only plan: the same lowerdirs and the store's empty dir
 * below them (overlayfs wants two lower dirs when there is no upper), no upper or work dir ({@code
 * upperDir} and {@code workDir} are null). {@code lowerDirs} are always the mount's lowerdirs, top
 * first, so that a caller may mount them its own way (idmapped clones in a user namespace).
 */
public record RootfsPlan(
    String containerId,
    Digest imageId,
    List<Mount> mounts,
    Optional<Path> mountDirectory,
    List<Path> lowerDirs,
    Path upperDir,
    Path workDir) {

  public RootfsPlan {
    mounts = List.copyOf(mounts);
    lowerDirs = List.copyOf(lowerDirs);
  }
}
