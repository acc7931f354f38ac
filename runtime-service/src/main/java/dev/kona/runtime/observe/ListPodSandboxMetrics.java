package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ContainerMetrics;
import dev.kona.cri.api.v1.ListPodSandboxMetricsResponse;
import dev.kona.cri.api.v1.Metric;
import dev.kona.cri.api.v1.MetricType;
import dev.kona.cri.api.v1.PodSandboxMetrics;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.Containers;
import dev.kona.runtime.sandbox.SandboxRecord;
import dev.kona.runtime.sandbox.SandboxState;
import dev.kona.runtime.sandbox.Sandboxes;
import java.util.List;
import java.util.Map;

/**
 * ListPodSandboxMetrics: for every ready pod, its network counters (labels container="" and
 * id=the pod's id, as containerd sends them) and each container's {@link CriMetric}s.
 */
final class ListPodSandboxMetrics {

  private final Sandboxes sandboxes;
  private final Containers containers;
  private final UsageCollector usage;

  ListPodSandboxMetrics(Sandboxes sandboxes, Containers containers, UsageCollector usage) {
    this.sandboxes = sandboxes;
    this.containers = containers;
    this.usage = usage;
  }

  ListPodSandboxMetricsResponse handle() {
    Map<String, List<ContainerRecord>> byPod = ListPodSandboxStats.membersByPod(containers);
    ListPodSandboxMetricsResponse.Builder response = ListPodSandboxMetricsResponse.newBuilder();
    for (SandboxRecord s : sandboxes.all()) {
      if (s.state() == SandboxState.READY) {
        response.addPodMetrics(pod(usage.pod(s, byPod.getOrDefault(s.id(), List.of()), true)));
      }
    }
    return response.build();
  }

  private static PodSandboxMetrics pod(PodUsage u) {
    var meta = u.sandbox().spec().metadata();
    PodSandboxMetrics.Builder pod = PodSandboxMetrics.newBuilder().setPodSandboxId(u.sandbox().id());
    for (InterfaceCounters i : u.interfaces()) {
      List<String> labels = List.of(meta.name(), meta.namespace(), "", u.sandbox().id(), "", i.name());
      for (CriMetric.Network m : CriMetric.Network.values()) {
        pod.addMetrics(metric(m.metricName, u.timestampNanos(), MetricType.COUNTER, labels, m.value.applyAsLong(i)));
      }
    }
    for (ContainerUsage c : u.containers()) {
      List<String> labels = List.of(meta.name(), meta.namespace(), c.container().spec().name(), c.container().id(),
          c.container().spec().image());
      ContainerMetrics.Builder cm = ContainerMetrics.newBuilder().setContainerId(c.container().id());
      for (CriMetric m : CriMetric.values()) {
        if (c.cgroup() != null || !m.needsCgroup()) {
          cm.addMetrics(metric(m.metricName, c.timestampNanos(), m.type, labels, m.value.applyAsLong(c)));
        }
      }
      pod.addContainerMetrics(cm);
    }
    return pod.build();
  }

  private static Metric metric(String name, long ts, MetricType type, List<String> labels, long value) {
    return Metric.newBuilder().setName(name).setTimestamp(ts).setMetricType(type).addAllLabelValues(labels)
        .setValue(StatsProtos.u64(Math.max(0, value))).build();
  }
}
