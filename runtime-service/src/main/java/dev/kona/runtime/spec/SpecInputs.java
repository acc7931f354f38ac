package dev.kona.runtime.spec;

import dev.kona.runtime.container.SeccompProfiles;
import dev.kona.runtime.container.ContainerSpec;
import dev.kona.runtime.sandbox.SandboxRecord;
import java.nio.file.Path;

/**
 * Everything the OCI spec of one container is built from; the caller has already mounted the
 * rootfs and chosen the cgroup path.
 *
 * @param seccomp resolves the filter the container asked for
 * @param targetPidNamespace /proc/&lt;pid&gt;/ns/pid of the target container for TARGET pid mode, else null
 */
public record SpecInputs(
    String containerId,
    ContainerSpec container,
    ImageFacts image,
    SandboxRecord sandbox,
    Path rootfs,
    String cgroupsPath,
    SeccompProfiles seccomp,
    String targetPidNamespace) {}
