package dev.kona.conformance.observe;

import com.google.protobuf.MessageLite;
import dev.kona.cri.api.v1.ListContainerStatsRequest;
import dev.kona.cri.api.v1.ListPodSandboxMetricsRequest;
import dev.kona.cri.api.v1.ListPodSandboxStatsRequest;
import dev.kona.conformance.fixture.BusyboxRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Not a test: prints the latency of the kubelet's stats polls (ListContainerStats,
 * ListPodSandboxStats, ListPodSandboxMetrics) over a real daemon's socket with {@code count}
 * running busybox containers spread over pods of 20. Run as root after the daemon is built:
 * {@code java -cp <conformance test classpath> dev.kona.conformance.observe.StatsBenchmark [count]}.
 */
public final class StatsBenchmark {

  private static final int PER_POD = 20;
  private static final int CALLS = 100;

  private StatsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path root = Files.createDirectory(Path.of("/tmp/k" + ProcessHandle.current().pid()));
    try (BusyboxRegistry registry = BusyboxRegistry.open()) {
      try (ObservedPod first = ObservedPod.start(root, registry, "bench-0")) {
        List<ObservedPod> pods = new ArrayList<>(List.of(first));
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
          if (i > 0 && i % PER_POD == 0) {
            pods.add(first.another("bench-" + pods.size()));
          }
          pods.getLast().run("c" + i, 0, "sleep 100000");
        }
        System.out.printf(Locale.ROOT, "%d containers in %d pods started in %.1f s%n",
            count, pods.size(), (System.nanoTime() - t0) / 1e9);
        var kona = first.kona;
        report("ListContainerStats", () -> kona.runtime().listContainerStats(ListContainerStatsRequest.getDefaultInstance()));
        report("ListPodSandboxStats",
            () -> kona.runtime().listPodSandboxStats(ListPodSandboxStatsRequest.getDefaultInstance()));
        report("ListPodSandboxMetrics",
            () -> kona.runtime().listPodSandboxMetrics(ListPodSandboxMetricsRequest.getDefaultInstance()));
        // The daemon between polls: the once-a-second watcher over every container is what runs.
        long before = cpuTicks(kona.pid());
        Thread.sleep(10_000);
        System.out.printf(Locale.ROOT, "daemon CPU while idle with %d containers: %.1f%% of a core%n",
            count, (cpuTicks(kona.pid()) - before) / 10.0);
      }
    } finally {
      deleteTree(root);
    }
  }

  private static void report(String rpc, Supplier<Object> call) {
    for (int i = 0; i < 10; i++) {
      call.get(); // warm up: the first call measures every writable layer
    }
    double[] ms = new double[CALLS];
    int bytes = 0;
    for (int i = 0; i < CALLS; i++) {
      long t = System.nanoTime();
      Object response = call.get();
      ms[i] = (System.nanoTime() - t) / 1e6;
      bytes = ((MessageLite) response).getSerializedSize();
    }
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "%-22s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%d calls, %d KiB response)%n",
        rpc, ms[CALLS / 2], ms[CALLS * 99 / 100], ms[CALLS - 1], CALLS, bytes / 1024);
  }

  /** utime + stime of a process, in USER_HZ (100 per second) ticks. */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Deletes the bench root, unless something is still mounted under it (then says so and keeps it). */
  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    if (Files.readString(Path.of("/proc/self/mounts")).contains(" " + dir + "/")) {
      System.err.println("mounts left under " + dir + "; not deleting it");
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
