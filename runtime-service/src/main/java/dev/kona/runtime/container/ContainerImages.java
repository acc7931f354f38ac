package dev.kona.runtime.container;

import dev.kona.runtime.spec.ImageFacts;
import java.nio.file.Path;

/**
 * What containers need from the image service: the image a container names, and its rootfs
 * mounted (overlay of the image's layers under a fresh writable layer) and released again.
 */
public interface ContainerImages {

  /** The image named by a reference or an id; NotFound when it is not present. */
  ResolvedImage resolve(String image);

  /** Mounts the container's rootfs at {@code target}; on failure nothing stays mounted or prepared. */
  void mountRootfs(String containerId, ResolvedImage image, Path target);

  /**
   * Like {@link #mountRootfs(String, ResolvedImage, Path)} for a container in a pod's user
   * namespace: the image's layers are idmapped with it, so the image's root-owned files belong to
   * the namespace's root, and the writable layer's top belongs to the namespace's root on the host.
   */
  void mountRootfs(String containerId, ResolvedImage image, Path target, IdmappedRoot idmap);

  /** The pod's pinned user namespace and the host ids of its root. */
  record IdmappedRoot(Path userns, long hostUid, long hostGid) {}

  /**
   * Mounts {@code image} read-only at {@code target} as a volume of the container (its layers
   * stacked, nothing writable, nothing copied) and holds it until {@link #releaseRootfs}; the
   * container's rootfs must be mounted first. Returns the image id. NotFound when the image is not
   * present.
   */
  String mountImage(String containerId, String image, Path target);

  /**
   * Like {@link #mountImage(String, String, Path)} for a container in a pod's user namespace: the
   * image's layers are idmapped with it, as the rootfs's are, so the image's root-owned files
   * belong to the namespace's root.
   */
  String mountImage(String containerId, String image, Path target, IdmappedRoot idmap);

  /**
   * Unmounts {@code target} and every image volume of the container (under {@link
   * #imageMountsDir}), and removes the writable layer and the holds on mounted images; idempotent.
   */
  void releaseRootfs(String containerId, Path target);

  /** Where a container's image volumes are mounted on the host: beside its rootfs. */
  static Path imageMountsDir(Path rootfs) {
    return rootfs.resolveSibling("image-mounts");
  }

  /** @param id the image id (sha256:…), what ContainerStatus reports as image_ref */
  record ResolvedImage(String id, String name, ImageFacts facts) {}
}
