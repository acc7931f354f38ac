package dev.kona.runtime.observe;

import dev.kona.image.ImageService;
import dev.kona.linux.cgroup.CgroupStats;
import dev.kona.runtime.container.ContainerRecord;

/**
 * What a container uses at one instant. {@code cgroup} is null for a container that is not created
 * or running (nothing to read); {@code nanoCores} and {@code availableBytes} are -1 when unknown
 * (first sample, no memory limit).
 *
 * @param timestampNanos wall-clock time of the reading, nanoseconds since the epoch
 */
record ContainerUsage(
    ContainerRecord container,
    long timestampNanos,
    CgroupStats cgroup,
    long nanoCores,
    long availableBytes,
    long memoryLimitBytes,
    ImageService.Usage writableLayer,
    long startedAtNanos) {}
