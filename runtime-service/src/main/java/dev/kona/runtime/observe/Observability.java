package dev.kona.runtime.observe;

import dev.kona.cri.api.v1.ContainerEventResponse;
import dev.kona.cri.api.v1.ContainerStatsRequest;
import dev.kona.cri.api.v1.ContainerStatsResponse;
import dev.kona.cri.api.v1.GetEventsRequest;
import dev.kona.cri.api.v1.ListContainerStatsRequest;
import dev.kona.cri.api.v1.ListContainerStatsResponse;
import dev.kona.cri.api.v1.ListMetricDescriptorsRequest;
import dev.kona.cri.api.v1.ListMetricDescriptorsResponse;
import dev.kona.cri.api.v1.ListPodSandboxMetricsRequest;
import dev.kona.cri.api.v1.ListPodSandboxMetricsResponse;
import dev.kona.cri.api.v1.ListPodSandboxStatsRequest;
import dev.kona.cri.api.v1.ListPodSandboxStatsResponse;
import dev.kona.cri.api.v1.PodSandboxStatsRequest;
import dev.kona.cri.api.v1.PodSandboxStatsResponse;
import dev.kona.image.ImageService;
import dev.kona.linux.cgroup.CgroupDriver;
import dev.kona.linux.cgroup.CgroupManager;
import dev.kona.linux.syscall.Syscalls;
import dev.kona.runtime.container.ContainerEvents;
import dev.kona.runtime.container.Containers;
import dev.kona.runtime.sandbox.Sandboxes;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Stats, CRI metrics and container events: what the kubelet's stats provider, metrics-server and
 * the evented PLEG read. The RuntimeService endpoint routes those RPCs here; each is one class.
 *
 * <p>Lifecycle: construct once, hand {@link #events()} to {@link Containers#setEvents}, close at
 * shutdown (stops the exit watcher and the event dispatcher; open event streams end with the server).
 */
public final class Observability implements AutoCloseable {

  /** How stale a writable layer figure may get before a background walk refreshes it. */
  static final Duration WRITABLE_LAYER_REFRESH = Duration.ofSeconds(10);
  /** Events a subscriber may leave unread before it is dropped. */
  static final int SUBSCRIBER_QUEUE = 1024;
  static final Duration EXIT_POLL = Duration.ofSeconds(1);

  private final ContainerStats containerStats;
  private final ListContainerStats listContainerStats;
  private final PodSandboxStats podSandboxStats;
  private final ListPodSandboxStats listPodSandboxStats;
  private final ListMetricDescriptors listMetricDescriptors = new ListMetricDescriptors();
  private final ListPodSandboxMetrics listPodSandboxMetrics;
  private final GetContainerEvents getContainerEvents;
  private final ContainerEventHub events;
  private final ExitWatcher exitWatcher;

  /** What the stats are read from; the daemon fills it from the runtime and the other modules. */
  public record Sources(
      Sandboxes sandboxes,
      Containers containers,
      ImageService images,
      CgroupManager cgroups,
      CgroupDriver cgroupDriver,
      Syscalls syscalls,
      MeterRegistry registry) {}

  public Observability(Sources s) {
    WritableLayers layers = new WritableLayers(s.images()::writableLayerUsage,
        WRITABLE_LAYER_REFRESH.toNanos(), System::nanoTime);
    ContainerStates states = new ContainerStates(s.containers());
    UsageCollector usage = new UsageCollector(states, new ContainerCgroups(s.cgroups(), s.cgroupDriver()),
        layers, new PodNetworkCounters(s.syscalls()));
    // The same filesystem id ImageFsInfo reports: the kubelet looks the writable layer's disk up by it.
    String mountpoint = s.images().containerFsMountpoint().toString();
    containerStats = new ContainerStats(s.containers(), usage, mountpoint);
    listContainerStats = new ListContainerStats(s.containers(), usage, mountpoint);
    podSandboxStats = new PodSandboxStats(s.sandboxes(), s.containers(), usage, mountpoint);
    listPodSandboxStats = new ListPodSandboxStats(s.sandboxes(), s.containers(), usage, mountpoint);
    listPodSandboxMetrics = new ListPodSandboxMetrics(s.sandboxes(), s.containers(), usage);

    EventFanOut<ContainerEventResponse> fanOut = new EventFanOut<>(SUBSCRIBER_QUEUE);
    RuntimeMetrics metrics = new RuntimeMetrics(s.registry(), fanOut::subscriberCount, fanOut::droppedCount);
    events = new ContainerEventHub(fanOut, new EventRenderer(s.sandboxes(), s.containers()), metrics);
    getContainerEvents = new GetContainerEvents(fanOut);
    exitWatcher = new ExitWatcher(s.containers(), s.sandboxes(), events, usage, states, metrics, EXIT_POLL);
  }

  /** The lifecycle hook {@link Containers} reports to. */
  public ContainerEvents events() {
    return events;
  }

  public ContainerStatsResponse containerStats(ContainerStatsRequest request) {
    return containerStats.handle(request);
  }

  public ListContainerStatsResponse listContainerStats(ListContainerStatsRequest request) {
    return listContainerStats.handle(request);
  }

  public PodSandboxStatsResponse podSandboxStats(PodSandboxStatsRequest request) {
    return podSandboxStats.handle(request);
  }

  public ListPodSandboxStatsResponse listPodSandboxStats(ListPodSandboxStatsRequest request) {
    return listPodSandboxStats.handle(request);
  }

  public ListMetricDescriptorsResponse listMetricDescriptors(ListMetricDescriptorsRequest request) {
    return listMetricDescriptors.handle();
  }

  public ListPodSandboxMetricsResponse listPodSandboxMetrics(ListPodSandboxMetricsRequest request) {
    return listPodSandboxMetrics.handle();
  }

  /** A server stream that stays open until the client leaves or the daemon stops. */
  public void getContainerEvents(GetEventsRequest request, StreamObserver<ContainerEventResponse> events) {
    getContainerEvents.handle(events);
  }

  @Override
  public void close() {
    exitWatcher.close();
    events.close();
  }
}
