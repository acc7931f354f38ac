package dev.kona.conformance.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.cri.api.v1.ContainerStats;
import dev.kona.cri.api.v1.ContainerStatsFilter;
import dev.kona.cri.api.v1.ContainerStatsRequest;
import dev.kona.cri.api.v1.ImageFsInfoRequest;
import dev.kona.cri.api.v1.ListContainerStatsRequest;
import dev.kona.cri.api.v1.ListPodSandboxStatsRequest;
import dev.kona.cri.api.v1.NetworkInterfaceUsage;
import dev.kona.cri.api.v1.PodSandboxStats;
import dev.kona.cri.api.v1.PodSandboxStatsFilter;
import dev.kona.cri.api.v1.PodSandboxStatsRequest;
import dev.kona.conformance.fixture.BusyboxRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ContainerStats, ListContainerStats, PodSandboxStats and ListPodSandboxStats against what busybox
 * workloads really do: a process holding 64 MiB, a shell spinning one core, an 8 MiB file in the
 * writable layer, 1 MiB sent over the pod's loopback.
 */
class ContainerStatsTest {

  private static final long MIB = 1 << 20;
  private static final long LIMIT = 256 * MIB;
  private static final long CORE = 1_000_000_000L;

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  @TempDir Path root;
  ObservedPod pod;

  @BeforeEach
  void start() throws Exception {
    pod = ObservedPod.start(root, registry, "stats");
  }

  @AfterEach
  void stop() throws Exception {
    pod.close();
  }

  private ContainerStats stats(String id) {
    return pod.kona.runtime().containerStats(ContainerStatsRequest.newBuilder().setContainerId(id).build()).getStats();
  }

  @Test
  void containerStats_memoryHogSpinnerAndWrittenFile() throws Exception {
    // dd fills a 64 MiB buffer from /dev/zero, then blocks forever writing it into a pipe nobody reads.
    String hog = pod.run("hog", LIMIT, "echo ready; dd if=/dev/zero bs=64M count=1 | sleep 100000");
    String spinner = pod.run("spinner", 0, "while :; do :; done");
    String writer = pod.run("writer", 0,
        "dd if=/dev/urandom of=/data.bin bs=1M count=8 2>/dev/null && sync && echo written; sleep 100000");
    pod.awaitLog("writer", "written");
    ObservedPod.await("hog holds its 64 MiB",
        () -> stats(hog).getMemory().getWorkingSetBytes().getValue() >= 64 * MIB);

    ContainerStats m = stats(hog);
    long ws = m.getMemory().getWorkingSetBytes().getValue();
    assertTrue(ws >= 64 * MIB && ws < 64 * MIB + 16 * MIB, "hog working set ~64 MiB: " + ws);
    assertTrue(m.getMemory().getUsageBytes().getValue() >= ws, "usage includes the working set");
    assertTrue(m.getMemory().getRssBytes().getValue() >= 64 * MIB, "the buffer is anonymous memory: " + m.getMemory());
    assertEquals(LIMIT - ws, m.getMemory().getAvailableBytes().getValue(), "available = limit - working set");
    assertTrue(m.getMemory().getPageFaults().getValue() >= 64 * MIB / 4096 / 2, "faulted the buffer in: " + m.getMemory());
    assertEquals("hog", m.getAttributes().getMetadata().getName());
    assertEquals("hog", m.getAttributes().getLabelsOrThrow("role"));

    // The spinner: its cumulative CPU grows about a second per second; its rate is at most one core.
    ContainerStats s1 = stats(spinner);
    Thread.sleep(2_000);
    ContainerStats s2 = stats(spinner);
    long usedNanos = s2.getCpu().getUsageCoreNanoSeconds().getValue() - s1.getCpu().getUsageCoreNanoSeconds().getValue();
    double elapsedNanos = s2.getCpu().getTimestamp() - s1.getCpu().getTimestamp();
    System.out.printf("spinner: %.2f cores over %.1f s (cumulative), usage_nano_cores %d; hog working set %.1f MiB%n",
        usedNanos / elapsedNanos, elapsedNanos / 1e9, s2.getCpu().getUsageNanoCores().getValue(), ws / (double) MIB);
    // The machine may be busy with other work, so no lower bound near one core: the shell must
    // clearly run, never exceed one core, and the rate must agree with the cumulative counter.
    double cores = usedNanos / elapsedNanos;
    assertTrue(cores > 0.05 && cores < 1.1, "one busy shell uses up to one core: " + cores);
    long rate = s2.getCpu().getUsageNanoCores().getValue();
    assertTrue(s2.getCpu().hasUsageNanoCores(), "a rate once there are two samples");
    assertTrue(Math.abs(rate - cores * CORE) < 0.05 * CORE + 0.1 * rate,
        "usage_nano_cores " + rate + " agrees with the counter's " + cores + " cores");
    stats(hog);
    Thread.sleep(1_100);
    long idle = stats(hog).getCpu().getUsageNanoCores().getValue();
    assertTrue(idle < 0.05 * CORE, "a blocked dd uses no CPU: " + idle);

    // The writable layer: the 8 MiB file, measured by the first stats call after it was written.
    ContainerStats w = stats(writer);
    long used = w.getWritableLayer().getUsedBytes().getValue();
    assertTrue(used >= 8 * MIB && used < 9 * MIB, "writable layer holds the 8 MiB file: " + used);
    assertTrue(w.getWritableLayer().getInodesUsed().getValue() >= 1);
    String containerFs = pod.kona.images().imageFsInfo(ImageFsInfoRequest.getDefaultInstance())
        .getContainerFilesystems(0).getFsId().getMountpoint();
    assertEquals(containerFs, w.getWritableLayer().getFsId().getMountpoint(),
        "the writable layer is on the filesystem ImageFsInfo reports for containers");
    assertTrue(stats(hog).getWritableLayer().getUsedBytes().getValue() < MIB, "the hog wrote nothing");
  }

  @Test
  void listContainerStats_filtersByIdPodAndLabels_andStatsOfUnknownIsNotFound() throws Exception {
    String a = pod.run("a", 0, "sleep 100000");
    String b = pod.run("b", 0, "exit 0");
    pod.awaitExit(b);
    // Lists use the states of the once-a-second watcher: within a second, b has no cgroup reading.
    ObservedPod.await("b listed without CPU figures", () -> !ObservedPod.find(list(ContainerStatsFilter.getDefaultInstance()),
        s -> s.getAttributes().getId().equals(b), "b").hasCpu());
    List<ContainerStats> all = list(ContainerStatsFilter.getDefaultInstance());
    assertEquals(2, all.size());
    assertTrue(ObservedPod.find(all, s -> s.getAttributes().getId().equals(a), "a").hasMemory());

    assertEquals(List.of(a), ids(ContainerStatsFilter.newBuilder().setId(a).build()));
    assertEquals(List.of(b), ids(ContainerStatsFilter.newBuilder().putLabelSelector("role", "b").build()));
    assertEquals(2, ids(ContainerStatsFilter.newBuilder().setPodSandboxId(pod.pod).build()).size());
    assertEquals(List.of(), ids(ContainerStatsFilter.newBuilder().setPodSandboxId("nothere").build()));

    StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
        () -> stats("0000000000000000000000000000000000000000000000000000000000000000"));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void podSandboxStats_sumsContainers_andCountsLoopbackTraffic() throws Exception {
    String hog = pod.run("hog", 0, "dd if=/dev/zero bs=32M count=1 | sleep 100000");
    // 1 MiB through the pod's own loopback. The listener's stdin must stay open (busybox nc quits
    // at EOF on either side), hence the sleep feeding it.
    pod.run("talker", 0, "(sleep 100000 | nc -l -p 9000 > /dev/null) & sleep 0.5; "
        + "dd if=/dev/zero bs=1k count=1024 2>/dev/null | nc 127.0.0.1 9000; echo sent; sleep 100000");
    pod.awaitLog("talker", "sent");
    ObservedPod.await("hog holds its 32 MiB", () -> stats(hog).getMemory().getWorkingSetBytes().getValue() >= 32 * MIB);

    PodSandboxStats p = pod.kona.runtime().podSandboxStats(
        PodSandboxStatsRequest.newBuilder().setPodSandboxId(pod.pod).build()).getStats();
    assertEquals(pod.pod, p.getAttributes().getId());
    assertEquals("stats", p.getAttributes().getMetadata().getName());
    assertEquals(2, p.getLinux().getContainersCount());
    long sum = p.getLinux().getContainersList().stream().mapToLong(c -> c.getMemory().getWorkingSetBytes().getValue()).sum();
    assertEquals(sum, p.getLinux().getMemory().getWorkingSetBytes().getValue(), "pod memory is its containers' sum");
    assertTrue(sum >= 32 * MIB, "includes the hog: " + sum);
    assertTrue(p.getLinux().getProcess().getProcessCount().getValue() >= 3, "sh, dd, sleep at least: " + p.getLinux().getProcess());

    NetworkInterfaceUsage lo = ObservedPod.find(p.getLinux().getNetwork().getInterfacesList(),
        i -> i.getName().equals("lo"), "lo");
    assertTrue(lo.getRxBytes().getValue() >= MIB && lo.getTxBytes().getValue() >= MIB, "1 MiB over lo: " + lo);
    assertTrue(lo.getRxBytes().getValue() < 2 * MIB, "only this pod's traffic: " + lo);
    assertFalse(p.getLinux().getNetwork().hasDefaultInterface(), "a loopback-only pod has no eth0");

    List<PodSandboxStats> listed = pod.kona.runtime().listPodSandboxStats(ListPodSandboxStatsRequest.newBuilder()
        .setFilter(PodSandboxStatsFilter.newBuilder().putLabelSelector("app", "stats")).build()).getStatsList();
    assertEquals(1, listed.size());
    assertEquals(pod.pod, listed.getFirst().getAttributes().getId());
    assertEquals(0, pod.kona.runtime().listPodSandboxStats(ListPodSandboxStatsRequest.newBuilder()
        .setFilter(PodSandboxStatsFilter.newBuilder().putLabelSelector("app", "other")).build()).getStatsCount());
  }

  private List<ContainerStats> list(ContainerStatsFilter filter) {
    return pod.kona.runtime().listContainerStats(ListContainerStatsRequest.newBuilder().setFilter(filter).build())
        .getStatsList();
  }

  private List<String> ids(ContainerStatsFilter filter) {
    return list(filter).stream().map(s -> s.getAttributes().getId()).toList();
  }
}
