package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ContainerStatsFilter;
import dev.kona.cri.api.v1.ListContainerStatsRequest;
import dev.kona.cri.api.v1.ListContainerStatsResponse;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.Containers;

/**
 * ListContainerStats: the kubelet's poll of every container. The filter (id, pod, labels) is applied
 * before anything is read; only containers with live processes have their cgroup read.
 */
final class ListContainerStats {

  private final Containers containers;
  private final UsageCollector usage;
  private final String writableMountpoint;

  ListContainerStats(Containers containers, UsageCollector usage, String writableMountpoint) {
    this.containers = containers;
    this.usage = usage;
    this.writableMountpoint = writableMountpoint;
  }

  ListContainerStatsResponse handle(ListContainerStatsRequest request) {
    ContainerStatsFilter filter = request.getFilter();
    ListContainerStatsResponse.Builder response = ListContainerStatsResponse.newBuilder();
    for (ContainerRecord r : containers.all()) {
      if (matches(filter, r)) {
        response.addStats(StatsProtos.container(usage.container(r, false), writableMountpoint));
      }
    }
    return response.build();
  }

  private static boolean matches(ContainerStatsFilter f, ContainerRecord r) {
    return (f.getId().isEmpty() || r.id().startsWith(f.getId()))
        && (f.getPodSandboxId().isEmpty() || r.sandboxId().startsWith(f.getPodSandboxId()))
        && StatsProtos.matches(f.getLabelSelectorMap(), r.spec().labels());
  }
}
