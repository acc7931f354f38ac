package dev.kona.conformance.bench;

import dev.kona.conformance.fixture.NodeCgroups;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerStatusRequest;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ExecRequest;
import dev.kona.cri.api.v1.ExecSyncRequest;
import dev.kona.cri.api.v1.ExecSyncResponse;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.LinuxPodSandboxConfig;
import dev.kona.cri.api.v1.LinuxSandboxSecurityContext;
import dev.kona.cri.api.v1.ListContainerStatsRequest;
import dev.kona.cri.api.v1.ListContainersRequest;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.ListPodSandboxStatsRequest;
import dev.kona.cri.api.v1.NamespaceMode;
import dev.kona.cri.api.v1.NamespaceOption;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.PodSandboxMetadata;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemoveContainerRequest;
import dev.kona.cri.api.v1.RemoveImageRequest;
import dev.kona.cri.api.v1.RemovePodSandboxRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopContainerRequest;
import dev.kona.cri.api.v1.StopPodSandboxRequest;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node's work, measured through CRI alone: what the kubelet asks of a runtime when it pulls,
 * starts and stops pods, execs, and polls status and stats. Every benchmark starts and ends with no
 * pods, and fails loudly rather than report a figure for work that did not happen.
 */
final class Workloads {

  /** What every benchmark container runs; also how its process is told apart from the runtime's helpers. */
  static final List<String> WORKLOAD = List.of("sleep", "86400");
  static final String WORKLOAD_CMDLINE = String.join(" ", WORKLOAD);
  static final String CGROUP_ROOT = "konabench";

  private final CriTarget target;
  private final String image;
  private final String pullImage;
  private final Path logRoot;
  private final BenchSettings settings;
  private final List<Figure> figures = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  Workloads(CriTarget target, String image, String pullImage, Path logRoot, BenchSettings settings) {
    this.target = target;
    this.image = image;
    this.pullImage = pullImage;
    this.logRoot = logRoot;
    this.settings = settings;
  }

  /**
   * Only the starts, as the test node runs them under TCG: the container lifecycle (CreateContainer,
   * StartContainer, ...) and sequential pod starts, with the image cached.
   */
  List<Figure> runStarts() {
    target.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build());
    step("container lifecycle", this::containerLifecycle);
    step("pod start, sequential", this::sequentialPods);
    return figures;
  }

  /** Runs every benchmark in a fixed order and returns the figures. */
  List<Figure> runAll() throws IOException {
    step("image pull", this::imagePull);
    target.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build());
    add(Figure.mebibytes("daemon RSS, idle with the image cached", target.daemonRss()));
    step("container lifecycle", this::containerLifecycle);
    step("exec", this::exec);
    step("host-network pods", this::hostNetworkPods);
    step("pod start, sequential", this::sequentialPods);
    step("pod start, parallel", this::parallelPods);
    step("stats and status polling", this::statsPolling);
    return figures;
  }

  private interface Step {
    void run() throws Exception;
  }

  /** Runs one benchmark; a failure is reported (and its figures left out) without losing the others. */
  private void step(String name, Step step) {
    long t0 = System.nanoTime();
    System.err.printf("[%s] %s...%n", target.name(), name);
    try {
      step.run();
      System.err.printf("[%s] %s done in %.1f s%n", target.name(), name, (System.nanoTime() - t0) / 1e9);
    } catch (Exception e) {
      failures.add(name + ": " + e.getMessage());
      System.err.printf("[%s] %s FAILED: %s%n", target.name(), name, e);
    } finally {
      target.removeAllPods();
    }
  }

  /** The benchmarks that failed, each with its reason. */
  List<String> failures() {
    return failures;
  }

  private void add(Figure figure) {
    figures.add(figure);
  }

  private void addLatency(String name, Samples samples) {
    add(Figure.millis(name + ", p50", samples.p50Millis()));
    add(Figure.millis(name + ", p99", samples.p99Millis()));
  }

  // --- image pull -----------------------------------------------------------------------------

  /** A cold pull (nothing of the image on the node) from the loopback registry, then removal. */
  private void imagePull() {
    ImageSpec spec = ImageSpec.newBuilder().setImage(pullImage).build();
    List<Long> pulls = new ArrayList<>();
    List<Long> removes = new ArrayList<>();
    for (int i = 0; i < settings.pulls(); i++) {
      pulls.add(timed(() -> target.images().pullImage(PullImageRequest.newBuilder().setImage(spec).build())));
      removes.add(timed(() -> target.images().removeImage(RemoveImageRequest.newBuilder().setImage(spec).build())));
    }
    add(Figure.millis("PullImage, 3 layers (10 MiB), cold, p50", Samples.of(pulls).p50Millis()));
    add(Figure.millis("RemoveImage, p50", Samples.of(removes).p50Millis()));
  }

  // --- containers in one pod ------------------------------------------------------------------

  private void containerLifecycle() {
    String pod = runPod("lifecycle", false);
    List<Long> create = new ArrayList<>();
    List<Long> start = new ArrayList<>();
    List<Long> stop = new ArrayList<>();
    List<Long> remove = new ArrayList<>();
    for (int i = 0; i < settings.containerCycles(); i++) {
      String[] id = new String[1];
      String name = "c" + i;
      create.add(timed(() -> id[0] = createContainer(pod, "lifecycle", name)));
      start.add(timed(() -> startContainer(id[0])));
      stop.add(timed(() -> target.runtime().stopContainer(
          StopContainerRequest.newBuilder().setContainerId(id[0]).setTimeout(10).build())));
      remove.add(timed(() -> target.runtime().removeContainer(
          RemoveContainerRequest.newBuilder().setContainerId(id[0]).build())));
    }
    addLatency("CreateContainer", Samples.of(create));
    addLatency("StartContainer", Samples.of(start));
    addLatency("StopContainer (running, SIGTERM)", Samples.of(stop));
    addLatency("RemoveContainer", Samples.of(remove));
  }

  // --- exec -----------------------------------------------------------------------------------

  private void exec() throws Exception {
    String pod = runPod("exec", false);
    String container = createContainer(pod, "exec", "shell");
    startContainer(container);
    List<Long> execs = new ArrayList<>();
    for (int i = 0; i < settings.execs(); i++) {
      ExecSyncResponse[] response = new ExecSyncResponse[1];
      execs.add(timed(() -> response[0] = target.runtime().execSync(
          ExecSyncRequest.newBuilder().setContainerId(container).addCmd("true").setTimeout(10).build())));
      if (response[0].getExitCode() != 0) {
        throw new IllegalStateException("ExecSync true exited " + response[0].getExitCode());
      }
    }
    addLatency("ExecSync `true`", Samples.of(execs));

    long bytes = settings.streamMebibytes() * 1024L * 1024L;
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String url = target.runtime().exec(ExecRequest.newBuilder().setContainerId(container)
          .addAllCmd(List.of("head", "-c", Long.toString(bytes), "/dev/zero")).setStdout(true).build()).getUrl();
      long t0 = System.nanoTime();
      long received = ExecStream.drainStdout(URI.create(url));
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (received != bytes) {
        throw new IllegalStateException("exec stream delivered " + received + " of " + bytes + " bytes");
      }
      rates.add(bytes / 1048576.0 / seconds);
    }
    Collections.sort(rates);
    add(Figure.rate("exec stdout over WebSocket (v4.channel.k8s.io), " + settings.streamMebibytes() + " MiB, median",
        "MiB/s", rates.get(1)));
  }

  // --- pods -------------------------------------------------------------------------------------

  private void hostNetworkPods() {
    List<Long> run = new ArrayList<>();
    List<Long> stop = new ArrayList<>();
    for (int i = 0; i < settings.hostNetworkPods(); i++) {
      String[] id = new String[1];
      String name = "host-" + i;
      run.add(timed(() -> id[0] = runPod(name, true)));
      stop.add(timed(() -> target.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id[0]).build())));
      target.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id[0]).build());
    }
    add(Figure.millis("RunPodSandbox, host network, p50", Samples.of(run).p50Millis()));
    add(Figure.millis("StopPodSandbox, host network, p50", Samples.of(stop).p50Millis()));
  }

  /** One pod start as the kubelet does it with a cached image: sandbox, then its container. */
  private record PodStart(String pod, long sandboxNanos, long totalNanos) {}

  private PodStart startPod(String name) {
    long t0 = System.nanoTime();
    String pod = runPod(name, false);
    long t1 = System.nanoTime();
    startContainer(createContainer(pod, name, "app"));
    return new PodStart(pod, t1 - t0, System.nanoTime() - t0);
  }

  private void sequentialPods() throws IOException {
    int count = settings.pods();
    List<PodStart> starts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      starts.add(startPod("seq-" + i));
    }
    addLatency("pod start (RunPodSandbox + CreateContainer + StartContainer), " + count + " sequential",
        Samples.of(starts.stream().map(PodStart::totalNanos).toList()));
    add(Figure.millis("RunPodSandbox, pod network (CNI bridge), p50",
        Samples.of(starts.stream().map(PodStart::sandboxNanos).toList()).p50Millis()));
    requireRunning(count);

    long daemon = target.daemonRss();
    long helpers = target.helperRss(WORKLOAD_CMDLINE);
    add(Figure.mebibytes("daemon RSS with " + count + " running pods", daemon));
    add(Figure.mebibytes("helper RSS with " + count + " running pods (monitors/shims, pod init/pause)", helpers));
    add(Figure.mebibytes("node overhead with " + count + " running pods (daemon + helpers)", daemon + helpers));

    List<Long> stop = new ArrayList<>();
    List<Long> remove = new ArrayList<>();
    for (PodStart start : starts) {
      stop.add(timed(() -> target.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(start.pod()).build())));
      remove.add(timed(() -> target.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(start.pod()).build())));
    }
    add(Figure.millis("StopPodSandbox, pod network, running container, p50", Samples.of(stop).p50Millis()));
    add(Figure.millis("RemovePodSandbox, p50", Samples.of(remove).p50Millis()));
  }

  private void parallelPods() throws Exception {
    int count = settings.parallelPods();
    ExecutorService pool = Executors.newFixedThreadPool(count);
    ExecutorService pleg = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<PodStart>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = "par-" + i;
        futures.add(pool.submit(() -> {
          go.await();
          return startPod(name);
        }));
      }
      // The kubelet's PLEG relists every second whatever else the node is doing; here it relists
      // every 20 ms while the pods start, to see whether the starts hold the lists up.
      AtomicBoolean starting = new AtomicBoolean(true);
      Future<List<Long>> relists = pleg.submit(() -> {
        go.await();
        List<Long> samples = new ArrayList<>();
        while (starting.get()) {
          samples.add(timed(() -> {
            target.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance());
            target.runtime().listContainers(ListContainersRequest.getDefaultInstance());
          }));
          Thread.sleep(20);
        }
        return samples;
      });
      long t0 = System.nanoTime();
      go.countDown();
      List<PodStart> starts = new ArrayList<>();
      try {
        for (Future<PodStart> f : futures) {
          starts.add(f.get());
        }
      } finally {
        starting.set(false);
      }
      double wall = (System.nanoTime() - t0) / 1e6;
      addLatency("pod start, " + count + " in parallel", Samples.of(starts.stream().map(PodStart::totalNanos).toList()));
      add(Figure.millis("all " + count + " parallel pods running (wall)", wall));
      List<Long> relistSamples = relists.get();
      if (relistSamples.size() < 3) {
        throw new IllegalStateException("only " + relistSamples.size() + " relists ran while the pods started");
      }
      addLatency("PLEG relist (ListPodSandbox + ListContainers) while " + count + " pods start", Samples.of(relistSamples));
      requireRunning(count);

      List<Callable<Void>> teardown = new ArrayList<>();
      for (PodStart start : starts) {
        teardown.add(() -> {
          target.runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(start.pod()).build());
          target.runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(start.pod()).build());
          return null;
        });
      }
      long t1 = System.nanoTime();
      for (Future<Void> f : pool.invokeAll(teardown)) {
        f.get();
      }
      add(Figure.millis("all " + count + " parallel pods stopped and removed (wall)", (System.nanoTime() - t1) / 1e6));
    } finally {
      pool.shutdownNow();
      pleg.shutdownNow();
    }
  }

  // --- polling ----------------------------------------------------------------------------------

  /** The kubelet's steady state: PLEG relists every second, stats every few seconds. */
  private void statsPolling() throws IOException {
    int total = settings.statsContainers();
    int perPod = 20;
    List<String> containers = new ArrayList<>();
    for (int p = 0; p * perPod < total; p++) {
      String pod = runPod("stats-" + p, false);
      for (int c = 0; c < perPod && containers.size() < total; c++) {
        String id = createContainer(pod, "stats-" + p, "c" + c);
        startContainer(id);
        containers.add(id);
      }
    }
    requireRunning(total);
    int calls = settings.pollCalls();
    List<Long> containerStats = new ArrayList<>();
    List<Long> podStats = new ArrayList<>();
    List<Long> listContainers = new ArrayList<>();
    List<Long> listPods = new ArrayList<>();
    List<Long> status = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      containerStats.add(timed(() -> {
        int n = target.runtime().listContainerStats(ListContainerStatsRequest.getDefaultInstance()).getStatsCount();
        if (n != total) {
          throw new IllegalStateException("ListContainerStats returned " + n + " of " + total);
        }
      }));
      podStats.add(timed(() -> target.runtime().listPodSandboxStats(ListPodSandboxStatsRequest.getDefaultInstance())));
      listContainers.add(timed(() -> target.runtime().listContainers(ListContainersRequest.getDefaultInstance())));
      listPods.add(timed(() -> target.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance())));
      String id = containers.get(i % containers.size());
      status.add(timed(() -> target.runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build())));
    }
    addLatency("ListContainerStats, " + total + " containers", Samples.of(containerStats));
    addLatency("ListPodSandboxStats, " + (total / perPod) + " pods", Samples.of(podStats));
    addLatency("ListContainers, " + total + " containers", Samples.of(listContainers));
    add(Figure.millis("ListPodSandbox, p50", Samples.of(listPods).p50Millis()));
    add(Figure.millis("ContainerStatus, p50", Samples.of(status).p50Millis()));
    long daemon = target.daemonRss();
    add(Figure.mebibytes("node overhead with " + total + " running containers in " + (total / perPod) + " pods",
        daemon + target.helperRss(WORKLOAD_CMDLINE)));
  }

  // --- CRI calls ----------------------------------------------------------------------------------

  String runPod(String name, boolean hostNetwork) {
    Path logs = logRoot.resolve(target.name()).resolve(name);
    try {
      Files.createDirectories(logs); // the kubelet makes the pod's log directory before RunPodSandbox
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LinuxPodSandboxConfig.Builder linux = LinuxPodSandboxConfig.newBuilder().setCgroupParent(cgroupParent(name));
    if (hostNetwork) {
      linux.setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
          .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE)));
    }
    PodSandboxConfig config = podConfig(name, logs, linux);
    return target.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()).getPodSandboxId();
  }

  private static PodSandboxConfig podConfig(String name, Path logs, LinuxPodSandboxConfig.Builder linux) {
    return PodSandboxConfig.newBuilder()
        .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("bench").setUid(podUid(name)))
        // As the kubelet: a host-network pod keeps the node's hostname.
        .setHostname(linux.getSecurityContext().getNamespaceOptions().getNetwork() == NamespaceMode.NODE ? "" : name)
        .setLogDirectory(logs.toString())
        .putLabels("bench", "kona")
        .setLinux(linux)
        .build();
  }

  /**
   * As the kubelet gives every pod a cgroup of its own (containerd reports no pod stats without
   * one); under a parent named for the benchmark, which removes it afterwards as the kubelet would.
   * Under the systemd driver (the test node's) the kubelet's form: a slice in the benchmark's slice,
   * {@code konabench-pod<uid with underscores>.slice}.
   */
  static String cgroupParent(String podName) {
    if (NodeCgroups.systemdDriver()) {
      return CGROUP_ROOT + "-pod" + podUid(podName).replace('-', '_') + ".slice";
    }
    return "/" + CGROUP_ROOT + "/pod" + podUid(podName);
  }

  /** Stable per pod name, so that CreateContainer can send the same sandbox config the pod was run with. */
  private static String podUid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
  }

  String createContainer(String pod, String podName, String name) {
    return createContainer(pod, podName, name, WORKLOAD);
  }

  String createContainer(String pod, String podName, String name, List<String> command) {
    ContainerConfig config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(image))
        .addAllCommand(command)
        .setLogPath(name + ".log")
        .build();
    PodSandboxConfig sandbox = podConfig(podName, logRoot.resolve(target.name()).resolve(podName),
        LinuxPodSandboxConfig.newBuilder().setCgroupParent(cgroupParent(podName)));
    return target.runtime().createContainer(CreateContainerRequest.newBuilder()
        .setPodSandboxId(pod).setConfig(config).setSandboxConfig(sandbox).build()).getContainerId();
  }

  void startContainer(String id) {
    target.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
  }

  /** A figure for pods that are not running would be a lie: every container must be RUNNING. */
  private void requireRunning(int expected) {
    long running = target.runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersList().stream()
        .filter(c -> c.getState() == dev.kona.cri.api.v1.ContainerState.CONTAINER_RUNNING)
        .count();
    if (running != expected) {
      throw new IllegalStateException(running + " of " + expected + " containers running");
    }
  }

  private static long timed(Runnable call) {
    long t0 = System.nanoTime();
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException("CRI call failed: " + e.getStatus(), e);
    }
    return System.nanoTime() - t0;
  }
}
