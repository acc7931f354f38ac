package dev.kona.conformance.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.ContainerMetrics;
import dev.kona.cri.api.v1.ContainerStatsRequest;
import dev.kona.cri.api.v1.ListMetricDescriptorsRequest;
import dev.kona.cri.api.v1.ListPodSandboxMetricsRequest;
import dev.kona.cri.api.v1.Metric;
import dev.kona.cri.api.v1.MetricDescriptor;
import dev.kona.cri.api.v1.MetricType;
import dev.kona.cri.api.v1.PodSandboxMetrics;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.conformance.fixture.BusyboxRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cAdvisor-named CRI metrics (ListMetricDescriptors, ListPodSandboxMetrics) and the daemon's
 * own Prometheus meters, scraped and parsed, their names checked against the README's list.
 */
class PodMetricsTest {

  private static final long MIB = 1 << 20;
  private static final List<String> RUNTIME_METERS = List.of("kona_pods", "kona_containers",
      "kona_container_monitors", "kona_container_events_total", "kona_container_events_dropped_total",
      "kona_container_event_subscribers", "kona_container_event_subscribers_dropped_total");

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  @TempDir Path root;
  ObservedPod pod;

  @BeforeEach
  void start() throws Exception {
    pod = ObservedPod.start(root, registry, "metrics");
  }

  @AfterEach
  void stop() throws Exception {
    pod.close();
  }

  @Test
  void listPodSandboxMetrics_namesLabelsAndValuesMatchTheDescriptors() throws Exception {
    String hog = pod.run("hog", 128 * MIB, "dd if=/dev/zero bs=16M count=1 | sleep 100000");
    ObservedPod.await("hog holds 16 MiB", () -> pod.kona.runtime()
        .containerStats(ContainerStatsRequest.newBuilder().setContainerId(hog).build())
        .getStats().getMemory().getWorkingSetBytes().getValue() >= 16 * MIB);

    Map<String, MetricDescriptor> descriptors = pod.kona.runtime()
        .listMetricDescriptors(ListMetricDescriptorsRequest.getDefaultInstance()).getDescriptorsList().stream()
        .collect(Collectors.toMap(MetricDescriptor::getName, Function.identity()));
    for (String name : List.of("container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
        "container_fs_usage_bytes", "container_network_receive_bytes_total", "container_start_time_seconds")) {
      assertTrue(descriptors.containsKey(name), "descriptor " + name);
    }
    assertEquals(List.of("pod", "namespace", "container", "id", "image"),
        descriptors.get("container_memory_working_set_bytes").getLabelKeysList());

    List<PodSandboxMetrics> pods = pod.kona.runtime()
        .listPodSandboxMetrics(ListPodSandboxMetricsRequest.getDefaultInstance()).getPodMetricsList();
    assertEquals(1, pods.size());
    PodSandboxMetrics p = pods.getFirst();
    assertEquals(pod.pod, p.getPodSandboxId());
    for (Metric m : p.getMetricsList()) {
      checkAgainstDescriptor(m, descriptors);
    }
    Metric loRx = ObservedPod.find(p.getMetricsList(),
        m -> m.getName().equals("container_network_receive_bytes_total"), "pod network metric");
    assertEquals(List.of("metrics", "observe", "", pod.pod, "", "lo"), loRx.getLabelValuesList());
    assertEquals(MetricType.COUNTER, loRx.getMetricType());

    ContainerMetrics c = ObservedPod.find(p.getContainerMetricsList(), m -> m.getContainerId().equals(hog), "hog");
    for (Metric m : c.getMetricsList()) {
      checkAgainstDescriptor(m, descriptors);
      assertEquals(List.of("metrics", "observe", "hog", hog, registry.image()), m.getLabelValuesList(), m.getName());
    }
    Map<String, Long> values = c.getMetricsList().stream()
        .collect(Collectors.toMap(Metric::getName, m -> m.getValue().getValue()));
    long ws = values.get("container_memory_working_set_bytes");
    assertTrue(ws >= 16 * MIB && ws < 32 * MIB, "working set ~16 MiB: " + ws);
    assertEquals(128 * MIB, values.get("container_spec_memory_limit_bytes"));
    assertTrue(values.get("container_processes") >= 3, "sh, dd, sleep: " + values.get("container_processes"));
    long now = System.currentTimeMillis() / 1000;
    assertTrue(Math.abs(values.get("container_start_time_seconds") - now) < 120, "started just now");
    assertTrue(Math.abs(values.get("container_last_seen") - now) < 5, "seen now");
  }

  /**
   * A container the daemon's exit watcher last saw created (it polls once a second), started just
   * before the metrics are asked for: they report it started now, not at 0 (the epoch), which is
   * what the stale state gave and made the test above fail once on the test node.
   */
  @Test
  void listPodSandboxMetrics_containerStartedSinceTheLastPoll_hasItsStartTime() throws Exception {
    String late = pod.create("late", 0, "sleep 100000");
    Thread.sleep(2_500); // two polls of the exit watcher see it created
    pod.kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(late).build());
    long now = System.currentTimeMillis() / 1000;
    PodSandboxMetrics p = pod.kona.runtime()
        .listPodSandboxMetrics(ListPodSandboxMetricsRequest.getDefaultInstance()).getPodMetricsList().getFirst();
    ContainerMetrics c = ObservedPod.find(p.getContainerMetricsList(), m -> m.getContainerId().equals(late), "late");
    Metric start = ObservedPod.find(c.getMetricsList(), m -> m.getName().equals("container_start_time_seconds"),
        "container_start_time_seconds");
    assertTrue(Math.abs(start.getValue().getValue() - now) < 120, "started just now: " + start.getValue().getValue());
  }

  private static void checkAgainstDescriptor(Metric m, Map<String, MetricDescriptor> descriptors) {
    MetricDescriptor d = descriptors.get(m.getName());
    assertNotNull(d, "metric " + m.getName() + " has a descriptor");
    assertEquals(d.getLabelKeysCount(), m.getLabelValuesCount(), "label values of " + m.getName());
    assertTrue(m.getTimestamp() > 0);
  }

  @Test
  void prometheus_runtimeMetersParseAndAreListedInTheReadme() throws Exception {
    pod.run("sleeper", 0, "sleep 100000");
    String quick = pod.run("quick", 0, "exit 0");
    pod.awaitExit(quick);
    ObservedPod.await("the gauges catch up", () -> {
      try {
        Double running = PrometheusScrape.scrape(pod.kona.metricsPort()).value("kona_containers", Map.of("state", "running"));
        return running != null && running == 1.0;
      } catch (Exception e) {
        return false;
      }
    });
    ObservedPod.await("the stop of quick is counted", () -> stoppedEvents() == 1.0);

    PrometheusScrape scrape = PrometheusScrape.scrape(pod.kona.metricsPort());
    assertEquals(1.0, scrape.value("kona_pods", Map.of("state", "ready")));
    assertEquals(0.0, scrape.value("kona_pods", Map.of("state", "notready")));
    assertEquals(1.0, scrape.value("kona_containers", Map.of("state", "exited")));
    assertEquals(0.0, scrape.value("kona_containers", Map.of("state", "created")));
    assertEquals(1.0, scrape.value("kona_container_monitors", Map.of()));
    assertEquals(2.0, scrape.value("kona_container_events_total", Map.of("type", "created")));
    assertEquals(2.0, scrape.value("kona_container_events_total", Map.of("type", "started")));
    assertEquals(0.0, scrape.value("kona_container_event_subscribers", Map.of()));
    assertEquals("gauge", scrape.types().get("kona_containers"));
    assertEquals("counter", scrape.types().get("kona_container_events_total"));

    Set<String> scraped = new HashSet<>();
    scrape.samples().forEach(s -> scraped.add(s.name()));
    Set<String> documented = readmeMetricNames();
    for (String name : RUNTIME_METERS) {
      assertTrue(scraped.contains(name), name + " is scraped");
      assertTrue(documented.contains(name), name + " is listed in README.md");
    }
    for (PrometheusScrape.Sample s : scrape.samples()) {
      if (s.name().startsWith("kona_container") || s.name().startsWith("kona_pods")) {
        assertTrue(!s.labels().containsKey("id") && !s.labels().containsKey("container_id"), "no ids as labels: " + s);
      }
    }
  }

  @Test
  void prometheus_lifecycleStepsAreTimedOncePerCall() throws Exception {
    String id = pod.run("stepper", 0, "sleep 100000");
    pod.kona.runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());

    PrometheusScrape scrape = PrometheusScrape.scrape(pod.kona.metricsPort());
    assertEquals("histogram", scrape.types().get("kona_lifecycle_step_seconds"));
    // One pod run, one container created, started and removed: each of their steps counted once.
    for (String[] step : new String[][] {
        {"run_pod_sandbox", "namespaces"}, {"run_pod_sandbox", "shm_files_sysctls"}, {"run_pod_sandbox", "pod_init"},
        {"run_pod_sandbox", "network"}, {"create_container", "image"}, {"create_container", "rootfs"},
        {"create_container", "image_volumes"}, {"create_container", "spec"}, {"create_container", "native_create"}, {"create_container", "persist"},
        {"start_container", "native_start"}, {"remove_container", "native_delete"}, {"remove_container", "rootfs"},
        {"remove_container", "files"}}) {
      Map<String, String> labels = Map.of("operation", step[0], "step", step[1]);
      assertEquals(1.0, scrape.value("kona_lifecycle_step_seconds_count", labels), "count of " + labels);
      assertTrue(scrape.value("kona_lifecycle_step_seconds_sum", labels) > 0, "time spent in " + labels);
    }
    assertTrue(readmeMetricNames().contains("kona_lifecycle_step_seconds"), "listed in README.md");
  }

  private double stoppedEvents() {
    try {
      Double v = PrometheusScrape.scrape(pod.kona.metricsPort()).value("kona_container_events_total", Map.of("type", "stopped"));
      return v == null ? -1 : v;
    } catch (Exception e) {
      return -1;
    }
  }

  /** Metric names in the README's Metrics table, first column, without their label lists. */
  private static Set<String> readmeMetricNames() throws Exception {
    Path readme = Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize();
    Set<String> names = new HashSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([a-z_]+)(?:\\{[^}]*\\})?` \\|").matcher(Files.readString(readme));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
