/**
 * Stats, CRI metrics and container events: what the kubelet's CRI stats provider, metrics-server,
 * {@code /metrics/cadvisor} and the evented PLEG read. {@link dev.kona.runtime.observe.Observability}
 * routes each RPC to its class ({@code ContainerStats}, {@code ListContainerStats},
 * {@code PodSandboxStats}, {@code ListPodSandboxStats}, {@code ListMetricDescriptors},
 * {@code ListPodSandboxMetrics}, {@code GetContainerEvents}); the rest is shared:
 *
 * <ul>
 *   <li>{@code UsageCollector} reads a container's usage: {@code ContainerCgroups} (the cgroup
 *       named in its bundle; {@code UsageFiles} reads only the four files the stats messages need),
 *       {@code CpuRate} (nano-cores from successive samples over at least a second),
 *       {@code WritableLayers} (directory walks cached per container, refreshed in the background),
 *       {@code PodNetworkCounters} ({@code /proc/thread-self/net/dev} from a thread inside the
 *       pod's netns). Records {@code ContainerUsage} and {@code PodUsage} carry the figures;
 *       {@code StatsProtos} and {@code CriMetric} turn them into CRI messages.
 *   <li>{@code ContainerEventHub} takes the runtime's lifecycle calls and the {@code ExitWatcher}'s
 *       findings (exits on their own, pod sandbox changes via {@code SandboxTransitions}), renders
 *       each event once ({@code EventRenderer}) and hands it to {@code EventFanOut}, which queues
 *       per subscriber with a bound and drops a subscriber that stops reading.
 *   <li>{@code RuntimeMetrics}: Prometheus gauges and counters (pods and containers by state,
 *       live monitors, events, subscribers), fed by the watcher's once-a-second poll.
 * </ul>
 */
package dev.kona.runtime.observe;
