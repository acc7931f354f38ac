package dev.kona.runtime.spec;

import dev.kona.oci.spec.Hooks;
import dev.kona.runtime.container.SeccompProfiles;
import dev.kona.runtime.container.ContainerSpec;
import dev.kona.runtime.sandbox.SandboxRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the OCI spec of one container is built from; the caller has already mounted the
 * rootfs and chosen the cgroup path.
 *
 * @param seccomp resolves the filter the container asked for
 * @param pidNamespace the PID namespace to join: the pod's (pid mode POD) or the target container's
 *     (TARGET); null for a new one or the host's
 * @param imageVolumes bind mounts of the image's VOLUMEs not covered by a CRI mount, already
 *     copied up
 * @param hooks OCI hooks (from CDI devices), null for none
 */
public record SpecInputs(
    String containerId,
    ContainerSpec container,
    ImageFacts image,
    SandboxRecord sandbox,
    Path rootfs,
    String cgroupsPath,
    SeccompProfiles seccomp,
    String pidNamespace,
    List<ContainerSpec.MountSpec> imageVolumes,
    Hooks hooks) {

  public SpecInputs {
    imageVolumes = List.copyOf(imageVolumes == null ? List.of() : imageVolumes);
  }

  /** No OCI hooks (only CDI devices bring them). */
  public SpecInputs(String containerId, ContainerSpec container, ImageFacts image, SandboxRecord sandbox, Path rootfs,
      String cgroupsPath, SeccompProfiles seccomp, String pidNamespace, List<ContainerSpec.MountSpec> imageVolumes) {
    this(containerId, container, image, sandbox, rootfs, cgroupsPath, seccomp, pidNamespace, imageVolumes, null);
  }
}
