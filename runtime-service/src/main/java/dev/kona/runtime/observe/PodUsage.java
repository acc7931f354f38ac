package dev.kona.runtime.observe;

import dev.kona.linux.cgroup.CgroupStats;
import dev.kona.runtime.sandbox.SandboxRecord;
import java.util.List;

/**
 * What a pod uses at one instant: the sum of its containers' cgroups, the interface counters of its
 * network namespace (empty for host-network pods), and each container's own usage.
 *
 * @param nanoCores sum of the containers' known rates, -1 when none is known yet
 */
record PodUsage(
    SandboxRecord sandbox,
    long timestampNanos,
    CgroupStats total,
    long nanoCores,
    List<InterfaceCounters> interfaces,
    List<ContainerUsage> containers) {

  PodUsage {
    interfaces = List.copyOf(interfaces);
    containers = List.copyOf(containers);
  }
}
