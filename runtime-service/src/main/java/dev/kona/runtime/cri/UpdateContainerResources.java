package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.LinuxContainerResources;
import dev.kona.cri.api.v1.UpdateContainerResourcesRequest;
import dev.kona.cri.api.v1.UpdateContainerResourcesResponse;
import dev.kona.runtime.container.ContainerSpec;
import dev.kona.runtime.container.Containers;
import java.util.LinkedHashMap;
import java.util.Map;

/** UpdateContainerResources: new CPU, memory, cpuset and hugepage limits for a live container. */
final class UpdateContainerResources {

  private final Containers containers;

  UpdateContainerResources(Containers containers) {
    this.containers = containers;
  }

  UpdateContainerResourcesResponse handle(UpdateContainerResourcesRequest request) {
    LinuxContainerResources r = request.getLinux();
    Map<String, Long> huge = new LinkedHashMap<>();
    r.getHugepageLimitsList().forEach(h -> huge.put(h.getPageSize(), h.getLimit()));
    containers.updateResources(request.getContainerId(), new ContainerSpec.Resources(r.getCpuPeriod(), r.getCpuQuota(),
        r.getCpuShares(), r.getMemoryLimitInBytes(), r.getMemorySwapLimitInBytes(), r.getOomScoreAdj(),
        r.getCpusetCpus(), r.getCpusetMems(), huge, r.getUnifiedMap()));
    return UpdateContainerResourcesResponse.getDefaultInstance();
  }
}
