package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ListPodSandboxStatsRequest;
import dev.kona.cri.api.v1.ListPodSandboxStatsResponse;
import dev.kona.cri.api.v1.PodSandboxStatsFilter;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.Containers;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.Sandboxes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** ListPodSandboxStats: every pod matching the filter (id prefix, labels), with its containers. */
final class ListPodSandboxStats {

  private final Sandboxes sandboxes;
  private final Containers containers;
  private final UsageCollector usage;
  private final String writableMountpoint;

  ListPodSandboxStats(Sandboxes sandboxes, Containers containers, UsageCollector usage, String writableMountpoint) {
    this.sandboxes = sandboxes;
    this.containers = containers;
    this.usage = usage;
    this.writableMountpoint = writableMountpoint;
  }

  ListPodSandboxStatsResponse handle(ListPodSandboxStatsRequest request) {
    PodSandboxStatsFilter filter = request.getFilter();
    Map<String, List<ContainerRecord>> byPod = membersByPod(containers);
    ListPodSandboxStatsResponse.Builder response = ListPodSandboxStatsResponse.newBuilder();
    for (SandboxRecord s : sandboxes.all()) {
      if ((filter.getId().isEmpty() || s.id().startsWith(filter.getId()))
          && StatsProtos.matches(filter.getLabelSelectorMap(), s.spec().labels())) {
        PodUsage pod = usage.pod(s, byPod.getOrDefault(s.id(), List.of()), false);
        response.addStats(StatsProtos.pod(pod, writableMountpoint));
      }
    }
    return response.build();
  }

  static Map<String, List<ContainerRecord>> membersByPod(Containers containers) {
    Map<String, List<ContainerRecord>> byPod = new HashMap<>();
    for (ContainerRecord c : containers.all()) {
      byPod.computeIfAbsent(c.sandboxId(), k -> new ArrayList<>()).add(c);
    }
    return byPod;
  }
}
