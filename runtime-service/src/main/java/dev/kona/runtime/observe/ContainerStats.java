package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ContainerStatsRequest;
import dev.kona.cri.api.v1.ContainerStatsResponse;
import dev.kona.runtime.container.Containers;

/** ContainerStats: one container's usage; NotFound for an unknown id. */
final class ContainerStats {

  private final Containers containers;
  private final UsageCollector usage;
  private final String writableMountpoint;

  ContainerStats(Containers containers, UsageCollector usage, String writableMountpoint) {
    this.containers = containers;
    this.usage = usage;
    this.writableMountpoint = writableMountpoint;
  }

  ContainerStatsResponse handle(ContainerStatsRequest request) {
    var record = containers.get(request.getContainerId());
    return ContainerStatsResponse.newBuilder()
        .setStats(StatsProtos.container(usage.container(record, false), writableMountpoint))
        .build();
  }
}
