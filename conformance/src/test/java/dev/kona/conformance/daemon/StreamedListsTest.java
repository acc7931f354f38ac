package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.cri.api.v1.Container;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerFilter;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStateValue;
import dev.kona.cri.api.v1.ContainerStats;
import dev.kona.cri.api.v1.ContainerStatsFilter;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ListContainerStatsRequest;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.ListContainersResponse;
import dev.kona.cri.api.v1.ListPodSandboxMetricsRequest;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.ListPodSandboxStatsRequest;
import dev.kona.cri.api.v1.PodSandbox;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxFilter;
import dev.kona.cri.api.v1.PodSandboxMetrics;
import dev.kona.cri.api.v1.PodSandboxState;
import dev.kona.cri.api.v1.PodSandboxStateValue;
import dev.kona.cri.api.v1.PodSandboxStats;
import dev.kona.cri.api.v1.PodSandboxStatsFilter;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import dev.kona.cri.api.v1.StreamContainerStatsRequest;
import dev.kona.cri.api.v1.StreamContainersRequest;
import dev.kona.cri.api.v1.StreamContainersResponse;
import dev.kona.cri.api.v1.StreamPodSandboxMetricsRequest;
import dev.kona.cri.api.v1.StreamPodSandboxStatsRequest;
import dev.kona.cri.api.v1.StreamPodSandboxesRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The streamed lists (KEP-5825) over the socket: the same filters and the same items as the List
 * calls, in batches; where a List answer over the message limit must trim labels and annotations,
 * the stream sends every item whole, in several messages each under the limit.
 */
class StreamedListsTest extends OnePodSuite {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  private static final int MESSAGE_LIMIT = 16 * 1024 * 1024;

  StreamedListsTest() {
    super(registry, registry::image, "streams");
  }

  private String runPod(String name, Map<String, String> labels) {
    PodSandboxConfig config = PodSandboxTest.config(name).toBuilder().putAllLabels(labels).build();
    return kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()).getPodSandboxId();
  }

  private String create(String podId, ContainerConfig.Builder config, boolean start) {
    String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(podId)
        .setConfig(config).setSandboxConfig(PodSandboxTest.config("streams")).build()).getContainerId();
    if (start) {
      kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    }
    return id;
  }

  private static ContainerConfig.Builder container(String name, Map<String, String> labels) {
    return ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addAllCommand(List.of("sleep", "1000"))
        .putAllLabels(labels);
  }

  /** Every batch of a server stream, in order. */
  private static <R> List<R> batches(Iterator<R> stream) {
    List<R> all = new ArrayList<>();
    stream.forEachRemaining(all::add);
    return all;
  }

  private static <R, T> List<T> flat(List<R> batches, Function<R, List<T>> items) {
    return batches.stream().flatMap(b -> items.apply(b).stream()).toList();
  }

  private List<PodSandbox> streamPods(PodSandboxFilter filter) {
    return flat(batches(kona.runtime().streamPodSandboxes(StreamPodSandboxesRequest.newBuilder().setFilter(filter)
        .build())), b -> b.getPodSandboxesList());
  }

  private List<PodSandbox> listPods(PodSandboxFilter filter) {
    return kona.runtime().listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(filter).build()).getItemsList();
  }

  private List<Container> streamContainers(ContainerFilter filter) {
    return flat(batches(kona.runtime().streamContainers(StreamContainersRequest.newBuilder().setFilter(filter)
        .build())), b -> b.getContainersList());
  }

  private List<Container> listContainers(ContainerFilter filter) {
    return kona.runtime().listContainers(ListContainersRequest.newBuilder().setFilter(filter).build())
        .getContainersList();
  }

  private Set<String> streamStats(ContainerStatsFilter filter) {
    return flat(batches(kona.runtime().streamContainerStats(StreamContainerStatsRequest.newBuilder().setFilter(filter)
        .build())), b -> b.getContainerStatsList()).stream().map(s -> s.getAttributes().getId())
        .collect(Collectors.toSet());
  }

  private Set<String> listStats(ContainerStatsFilter filter) {
    return kona.runtime().listContainerStats(ListContainerStatsRequest.newBuilder().setFilter(filter).build())
        .getStatsList().stream().map(ContainerStats::getAttributes).map(a -> a.getId()).collect(Collectors.toSet());
  }

  private Set<String> streamPodStats(PodSandboxStatsFilter filter) {
    return flat(batches(kona.runtime().streamPodSandboxStats(StreamPodSandboxStatsRequest.newBuilder()
        .setFilter(filter).build())), b -> b.getPodSandboxStatsList()).stream()
        .map(PodSandboxStats::getAttributes).map(a -> a.getId()).collect(Collectors.toSet());
  }

  private Set<String> listPodStats(PodSandboxStatsFilter filter) {
    return kona.runtime().listPodSandboxStats(ListPodSandboxStatsRequest.newBuilder().setFilter(filter).build())
        .getStatsList().stream().map(PodSandboxStats::getAttributes).map(a -> a.getId()).collect(Collectors.toSet());
  }

  @Test
  void streams_answerAsTheListCallsWithTheSameFilters() {
    String other = runPod("streams-other", Map.of("tier", "back"));
    String running = create(pod, container("running", Map.of("role", "web")), true);
    String created = create(pod, container("created", Map.of("role", "db")), false);
    String elsewhere = create(other, container("elsewhere", Map.of("role", "web")), true);
    String stoppedPod = runPod("streams-stopped", Map.of("tier", "back"));
    kona.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(stoppedPod).build());

    List<PodSandboxFilter> podFilters = List.of(
        PodSandboxFilter.getDefaultInstance(),
        PodSandboxFilter.newBuilder().setId(other).build(),
        PodSandboxFilter.newBuilder().setId(other.substring(0, 8)).build(),
        PodSandboxFilter.newBuilder().putLabelSelector("tier", "back").build(),
        PodSandboxFilter.newBuilder().setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_NOTREADY))
            .build(),
        PodSandboxFilter.newBuilder().setId("no-such-pod").build());
    for (PodSandboxFilter f : podFilters) {
      assertEquals(listPods(f), streamPods(f), "StreamPodSandboxes with " + f);
    }
    assertEquals(3, streamPods(PodSandboxFilter.getDefaultInstance()).size());
    assertEquals(Set.of(other, stoppedPod), streamPods(podFilters.get(3)).stream().map(PodSandbox::getId)
        .collect(Collectors.toSet()));
    assertEquals(List.of(), batches(kona.runtime().streamPodSandboxes(StreamPodSandboxesRequest.newBuilder()
        .setFilter(podFilters.get(5)).build())), "nothing to send: the stream just ends");

    List<ContainerFilter> containerFilters = List.of(
        ContainerFilter.getDefaultInstance(),
        ContainerFilter.newBuilder().setPodSandboxId(pod).build(),
        ContainerFilter.newBuilder().setId(created).build(),
        ContainerFilter.newBuilder().setState(ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_RUNNING))
            .build(),
        ContainerFilter.newBuilder().putLabelSelector("role", "web").build(),
        ContainerFilter.newBuilder().setPodSandboxId(other).putLabelSelector("role", "db").build());
    for (ContainerFilter f : containerFilters) {
      assertEquals(listContainers(f), streamContainers(f), "StreamContainers with " + f);
    }
    assertEquals(Set.of(running, elsewhere), streamContainers(containerFilters.get(4)).stream().map(Container::getId)
        .collect(Collectors.toSet()));

    // Stats change between two calls; the same containers and pods are named.
    List<ContainerStatsFilter> statsFilters = List.of(
        ContainerStatsFilter.getDefaultInstance(),
        ContainerStatsFilter.newBuilder().setPodSandboxId(other).build(),
        ContainerStatsFilter.newBuilder().setId(running).build(),
        ContainerStatsFilter.newBuilder().putLabelSelector("role", "web").build());
    for (ContainerStatsFilter f : statsFilters) {
      assertEquals(listStats(f), streamStats(f), "StreamContainerStats with " + f);
    }
    assertEquals(Set.of(running, created, elsewhere), streamStats(statsFilters.getFirst()));
    List<PodSandboxStatsFilter> podStatsFilters = List.of(
        PodSandboxStatsFilter.getDefaultInstance(),
        PodSandboxStatsFilter.newBuilder().setId(other).build(),
        PodSandboxStatsFilter.newBuilder().putLabelSelector("tier", "back").build());
    for (PodSandboxStatsFilter f : podStatsFilters) {
      assertEquals(listPodStats(f), streamPodStats(f), "StreamPodSandboxStats with " + f);
    }
    assertFalse(streamPodStats(podStatsFilters.getFirst()).isEmpty());

    Set<String> metrics = kona.runtime().listPodSandboxMetrics(ListPodSandboxMetricsRequest.getDefaultInstance())
        .getPodMetricsList().stream().map(PodSandboxMetrics::getPodSandboxId).collect(Collectors.toSet());
    Set<String> streamedMetrics = flat(batches(kona.runtime().streamPodSandboxMetrics(
        StreamPodSandboxMetricsRequest.getDefaultInstance())), b -> b.getPodSandboxMetricsList()).stream()
        .map(PodSandboxMetrics::getPodSandboxId).collect(Collectors.toSet());
    assertEquals(metrics, streamedMetrics, "StreamPodSandboxMetrics");
  }

  @Test
  void streamContainers_moreThanOneMessageHolds_sendsEveryItemWholeInBatchesUnderTheLimit() {
    int count = 24; // 24 x (256 KiB + 512 KiB) = 18 MiB: more than one message may carry
    for (int i = 0; i < count; i++) {
      create(pod, container("c" + i, filler("example.com", 4, 256 * 1024 - 1024))
          .putAllAnnotations(filler("example.com", 8, 512 * 1024 - 1024)), false);
    }
    ListContainersResponse list = kona.runtime().listContainers(ListContainersRequest.getDefaultInstance());
    assertTrue(list.getContainersList().stream().anyMatch(c -> c.getLabelsCount() < 4),
        "the List answer had to trim some items");

    List<StreamContainersResponse> batches = batches(kona.runtime().streamContainers(
        StreamContainersRequest.getDefaultInstance()));
    assertTrue(batches.size() >= 2, "batches: " + batches.size());
    for (Message b : batches) {
      assertTrue(b.getSerializedSize() < MESSAGE_LIMIT, "a batch of " + b.getSerializedSize() + " bytes");
    }
    List<Container> streamed = flat(batches, StreamContainersResponse::getContainersList);
    assertEquals(list.getContainersList().stream().map(Container::getId).toList(),
        streamed.stream().map(Container::getId).toList(), "the same containers, in the same order");
    for (Container c : streamed) {
      assertEquals(4, c.getLabelsCount(), c.getId());
      assertEquals(8, c.getAnnotationsCount(), c.getId());
    }
  }

  private static Map<String, String> filler(String prefix, int count, int total) {
    Map<String, String> m = new LinkedHashMap<>();
    int each = total / count;
    for (int i = 0; i < count; i++) {
      String key = prefix + "/k" + i;
      m.put(key, "v".repeat(each - key.length()));
    }
    return m;
  }
}
