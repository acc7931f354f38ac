package dev.kona.conformance.bench;

import dev.kona.cri.api.v1.ContainerFilter;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStateValue;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.ListContainersResponse;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.StreamContainersRequest;
import dev.kona.cri.api.v1.StreamContainersResponse;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ListContainers against StreamContainers (KEP-5825) on a node holding many exited containers, as a
 * node that never garbage-collects them does: the time to the whole answer and the daemon's peak
 * resident memory during the call (the kernel's high-water mark, reset before each call through
 * {@code /proc/<pid>/clear_refs}). Kona only: containerd 1.6 has no Stream calls.
 */
final class StreamedLists {

  private static final int CALLS = 5;
  private static final int PARALLEL = 4;

  private final KonaTarget kona;
  private final Workloads work;

  StreamedLists(KonaTarget kona, Workloads work) {
    this.kona = kona;
    this.work = work;
  }

  /** Makes {@code count} exited containers in one pod, measures both calls, removes them; returns a Markdown section. */
  String run(int count) throws Exception {
    long t0 = System.nanoTime();
    String pod = work.runPod("lists", true);
    AtomicInteger made = new AtomicInteger();
    List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    forEachInParallel(count, i -> {
      String id = work.createContainer(pod, "lists", "c" + i, List.of("true"));
      ids.add(id);
      work.startContainer(id);
      int n = made.incrementAndGet();
      if (n % 1000 == 0) {
        System.err.printf(Locale.ROOT, "[streamed lists] %d of %d containers started%n", n, count);
      }
    });
    awaitExited(count);
    double setUpSeconds = (System.nanoTime() - t0) / 1e9;
    System.err.printf(Locale.ROOT, "[streamed lists] %d exited containers in %.1f s%n", count, setUpSeconds);

    List<Long> listNanos = new ArrayList<>();
    List<Long> streamNanos = new ArrayList<>();
    long listPeak = 0;
    long streamPeak = 0;
    long listBytes = 0;
    int streamMessages = 0;
    long rssBefore = kona.daemonRss();
    for (int call = 0; call < CALLS; call++) {
      resetPeak();
      long t = System.nanoTime();
      ListContainersResponse all = kona.runtime().listContainers(ListContainersRequest.getDefaultInstance());
      listNanos.add(System.nanoTime() - t);
      listPeak = Math.max(listPeak, peakRss());
      require(all.getContainersCount(), count, "ListContainers");
      listBytes = all.getSerializedSize();

      resetPeak();
      t = System.nanoTime();
      int seen = 0;
      int messages = 0;
      Iterator<StreamContainersResponse> stream = kona.runtime().streamContainers(StreamContainersRequest.getDefaultInstance());
      while (stream.hasNext()) {
        seen += stream.next().getContainersCount();
        messages++;
      }
      streamNanos.add(System.nanoTime() - t);
      streamPeak = Math.max(streamPeak, peakRss());
      require(seen, count, "StreamContainers");
      streamMessages = messages;
    }

    long t1 = System.nanoTime();
    forEachInParallel(ids.size(), i -> kona.runtime().removeContainer(
        RemoveContainerRequest.newBuilder().setContainerId(ids.get(i)).build()));
    double removeSeconds = (System.nanoTime() - t1) / 1e9;
    kona.removeAllPods();

    Samples listTimes = Samples.of(listNanos);
    Samples streamTimes = Samples.of(streamNanos);
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "%n## Streamed lists: %,d exited containers in one pod (Kona)%n%n", count));
    md.append(String.format(Locale.ROOT, "Set up in %.0f s (CreateContainer + StartContainer of `true`, %d at a time),"
        + " removed in %.0f s. Daemon RSS before the calls: %.0f MiB. Peak RSS is the daemon's high-water mark"
        + " during the call (the most of %d calls).%n%n", setUpSeconds, PARALLEL, removeSeconds, mib(rssBefore), CALLS));
    md.append("| call | p50 | slowest | answer | daemon peak RSS |\n|---|---:|---:|---|---:|\n");
    md.append(String.format(Locale.ROOT, "| ListContainers | %.0f ms | %.0f ms | one message, %.1f MiB | %.0f MiB |%n",
        listTimes.p50Millis(), listTimes.percentile(100) / 1e6, mib(listBytes), mib(listPeak)));
    md.append(String.format(Locale.ROOT, "| StreamContainers | %.0f ms | %.0f ms | %d message%s | %.0f MiB |%n",
        streamTimes.p50Millis(), streamTimes.percentile(100) / 1e6, streamMessages,
        streamMessages == 1 ? "" : "s", mib(streamPeak)));
    return md.toString();
  }

  private interface Task {
    void run(int i) throws Exception;
  }

  private static void forEachInParallel(int count, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try {
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < PARALLEL; w++) {
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            task.run(i);
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void awaitExited(int count) throws InterruptedException {
    ListContainersRequest exited = ListContainersRequest.newBuilder().setFilter(ContainerFilter.newBuilder()
        .setState(ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_EXITED))).build();
    long deadline = System.nanoTime() + 600_000_000_000L;
    int seen = 0;
    while (System.nanoTime() < deadline) {
      try {
        seen = kona.runtime().listContainers(exited).getContainersCount();
      } catch (StatusRuntimeException e) {
        throw new IllegalStateException("ListContainers while waiting for exits: " + e.getStatus(), e);
      }
      if (seen == count) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(seen + " of " + count + " containers exited within 600 s");
  }

  private static void require(int seen, int expected, String call) {
    if (seen != expected) {
      throw new IllegalStateException(call + " answered " + seen + " of " + expected + " containers");
    }
  }

  /** Sets the daemon's high-water mark (VmHWM) back to its current RSS. */
  private void resetPeak() throws IOException {
    Files.writeString(Path.of("/proc", Long.toString(kona.pid()), "clear_refs"), "5");
  }

  private long peakRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(kona.pid()), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmHWM in /proc/" + kona.pid() + "/status");
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
