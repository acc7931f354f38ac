package dev.kona.runtime.spec;

import dev.kona.oci.spec.Seccomp;
import dev.kona.runtime.container.ContainerSpec;
import dev.kona.runtime.sandbox.SandboxRecord;
import java.nio.file.Path;

/**
 * Everything the OCI spec of one container is built from; the caller has already mounted the
 * rootfs, resolved the seccomp profile and chosen the cgroup path.
 *
 * @param seccomp the resolved filter, or null for none
 * @param targetPidNamespace /proc/&lt;pid&gt;/ns/pid of the target container for TARGET pid mode, else null
 */
public record SpecInputs(
    String containerId,
    ContainerSpec container,
    ImageFacts image,
    SandboxRecord sandbox,
    Path rootfs,
    String cgroupsPath,
    Seccomp seccomp,
    String targetPidNamespace) {}
