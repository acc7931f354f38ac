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

  /** Unmounts {@code target} and removes the writable layer; idempotent. */
  void releaseRootfs(String containerId, Path target);

  /** @param id the image id (sha256:…), what ContainerStatus reports as image_ref */
  record ResolvedImage(String id, String name, ImageFacts facts) {}
}
