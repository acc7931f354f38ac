package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.PodSandboxStatsRequest;
import dev.kona.cri.api.v1.PodSandboxStatsResponse;
import dev.kona.runtime.container.Containers;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.Sandboxes;

/** PodSandboxStats: one pod's usage with its containers'; NotFound for an unknown id. */
final class PodSandboxStats {

  private final Sandboxes sandboxes;
  private final Containers containers;
  private final UsageCollector usage;
  private final String writableMountpoint;

  PodSandboxStats(Sandboxes sandboxes, Containers containers, UsageCollector usage, String writableMountpoint) {
    this.sandboxes = sandboxes;
    this.containers = containers;
    this.usage = usage;
    this.writableMountpoint = writableMountpoint;
  }

  PodSandboxStatsResponse handle(PodSandboxStatsRequest request) {
    SandboxRecord sandbox = sandboxes.get(request.getPodSandboxId());
    var members = containers.all().stream().filter(c -> c.sandboxId().equals(sandbox.id())).toList();
    return PodSandboxStatsResponse.newBuilder()
        .setStats(StatsProtos.pod(usage.pod(sandbox, members, false), writableMountpoint))
        .build();
  }
}
